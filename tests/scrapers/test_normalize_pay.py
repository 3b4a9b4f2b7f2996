import pytest

from scrapers.normalize.pay import (
    Pay,
    find_pay_in_text,
    parse_pay,
    pay_from_cents,
    pay_from_schema,
    unit_in_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$250/12", Pay(250, 250, "USD", "day")),
        ("$250/10", Pay(250, 250, "USD", "day")),
        ("$250/day", Pay(250, 250, "USD", "day")),
        ("$250 per 12-hour day", Pay(250, 250, "USD", "day")),
        ("$18/hr", Pay(18, 18, "USD", "hour")),
        ("$18.50 an hour", Pay(18.5, 18.5, "USD", "hour")),
        ("$20-25/hr DOE", Pay(20, 25, "USD", "hour")),
        ("$1,200/wk", Pay(1200, 1200, "USD", "week")),
        ("$65,000 - $75,000 a year", Pay(65000, 75000, "USD", "year")),
        ("$85K-$95K", Pay(85000, 95000, "USD", "year")),
        ("$85-95k", Pay(85000, 95000, "USD", "year")),
        ("$4,000/month", Pay(4000, 4000, "USD", "month")),
        ("£28,000 per annum", Pay(28000, 28000, "GBP", "year")),
        ("€200 daily", Pay(200, 200, "EUR", "day")),
        ("CAD $30/hr", Pay(30, 30, "CAD", "hour")),
        ("$25–$28 per hour", Pay(25, 28, "USD", "hour")),
        ("$22 to $20/hr", Pay(20, 22, "USD", "hour")),
        ("$300", Pay(300, 300, "USD", None)),
        ("Hourly Rate\n$22.00—$24.00 USD", Pay(22, 24, "USD", "hour")),
        ("US$1,500 - 1,700 weekly", Pay(1500, 1700, "USD", "week")),
        ("unpaid", Pay(0, 0, None, None)),
        ("Deferred", Pay(0, 0, None, None)),
        ("25.50", Pay(25.5, 25.5, None, None)),
        ("40-45", Pay(40, 45, None, None)),
    ],
)
def test_parse_pay_text(text, expected):
    assert parse_pay(text) == expected


@pytest.mark.parametrize(
    "garbage", ["DOE", "Competitive", "", "   ", "$", "$abc", None, True, [], {}, float("nan"), -5]
)
def test_parse_pay_garbage(garbage):
    assert parse_pay(garbage) is None


def test_parse_pay_number():
    assert parse_pay(250) == Pay(250, 250, None, None)
    assert parse_pay(18.5) == Pay(18.5, 18.5, None, None)


def test_find_pay_in_description():
    text = "Great crew on a union show.\nRate: $250/12, 5-day weeks. Budget $2 million."
    assert find_pay_in_text(text) == Pay(250, 250, "USD", "day")


def test_budget_amounts_are_not_pay():
    assert find_pay_in_text("A $5 million indie feature. $100K budget.") is None


def test_unpaid_words_in_text():
    unpaid = Pay(0, 0, None, None)
    assert find_pay_in_text("This is an unpaid internship for school credit.") == unpaid
    assert find_pay_in_text("Copy/credit/meals provided.") == unpaid
    assert find_pay_in_text("401(k) with deferred compensation plan") is None


def test_schema_monetary_amount_with_quantitative_value():
    salary = {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 18, "maxValue": 22, "unitText": "HOUR"},
    }
    assert pay_from_schema(salary) == Pay(18, 22, "USD", "hour")


@pytest.mark.parametrize(
    ("salary", "currency", "expected"),
    [
        ({"currency": "USD", "value": {"value": 250, "unitText": "DAY"}}, None,
         Pay(250, 250, "USD", "day")),
        ({"value": {"minValue": "1,200", "unitText": "WEEK"}}, "USD",
         Pay(1200, 1200, "USD", "week")),
        ({"currency": "€", "value": {"value": "40.00-45.00", "unitText": "hour"}}, None,
         Pay(40, 45, "EUR", "hour")),
        ({"currency": "USD", "value": 75000, "unitText": "YEAR"}, None,
         Pay(75000, 75000, "USD", "year")),
        ({"value": {"maxValue": 5000, "unitText": "MONTH"}}, None, Pay(5000, 5000, None, "month")),
        (60000, "USD", Pay(60000, 60000, "USD", None)),
        ("$25/hr", None, Pay(25, 25, "USD", "hour")),
        ([{"currency": "GBP", "value": {"value": 300, "unitText": "DAY"}}], None,
         Pay(300, 300, "GBP", "day")),
    ],
)
def test_schema_shapes(salary, currency, expected):
    assert pay_from_schema(salary, currency) == expected


@pytest.mark.parametrize(
    "garbage", [None, {}, {"value": {}}, {"value": "n/a"}, [], "", [None], True]
)
def test_schema_garbage(garbage):
    assert pay_from_schema(garbage) is None


def test_greenhouse_pay_ranges_in_cents():
    assert pay_from_cents(2500, 2800, "USD", "Hourly Rate") == Pay(25, 28, "USD", "hour")
    assert pay_from_cents(6500000, 7500000, "USD", "Base pay") == Pay(65000, 75000, "USD", "year")
    assert pay_from_cents(None, "x", "USD") is None


def test_unit_in_text():
    assert unit_in_text("Annual Salary") == "year"
    assert unit_in_text("Day rate") == "day"
    assert unit_in_text(None) is None


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (3000, 2000, Pay(20, 30, "USD", None)),
        (1, 0, Pay(0, 0.01, "USD", None)),
        (7500000, 6500000, Pay(65000, 75000, "USD", "year")),
        (None, 2500, Pay(25, 25, "USD", None)),
    ],
)
def test_greenhouse_swapped_cents_are_ordered(low, high, expected):
    assert pay_from_cents(low, high, "USD") == expected


def test_greenhouse_cents_of_a_big_salary_are_not_capped_as_cents():
    assert pay_from_cents(25000000, 30000000, "USD") == Pay(250000, 300000, "USD", "year")
    assert pay_from_cents(2_000_000_000, None, "USD") is None  # $20M a year: a misread


def test_schema_swapped_min_and_max_are_ordered():
    salary = {"currency": "USD", "value": {"minValue": 30, "maxValue": 20, "unitText": "HOUR"}}
    assert pay_from_schema(salary) == Pay(20, 30, "USD", "hour")
    assert pay_from_schema({"value": {"minValue": "95,000", "maxValue": "80,000"}}, "USD") == Pay(
        80000, 95000, "USD", None
    )


@pytest.mark.parametrize(
    "text",
    ["$" + "9" * 306 + "k", "$" + "9" * 400, "$25,000,000 a year", "€12,000k", "$10000k"],
)
def test_absurd_amounts_are_not_pay(text):
    assert find_pay_in_text(text) is None


def test_an_absurd_amount_does_not_hide_a_real_one():
    assert find_pay_in_text("Funded with $99999999999k. Rate: $250/day") == Pay(
        250, 250, "USD", "day"
    )
    assert parse_pay(10**400) is None
    assert pay_from_schema({"value": {"minValue": 1e300, "maxValue": 1e301}}) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hourly pay range for this role is $45 - $55", Pay(45, 55, "USD", "hour")),
        ("The hourly base pay for a Payroll Coordinator in Burbank is $32 to $38.",
         Pay(32, 38, "USD", "hour")),
        ("Our day rate on this two-week commercial shoot is $650 - $800",
         Pay(650, 800, "USD", "day")),
        ("The weekly rate for this 10-week season of the show is $1,800",
         Pay(1800, 1800, "USD", "week")),
        ("The annual base salary range for this position in California is $95 - $120",
         Pay(95, 120, "USD", "year")),
        ("The salary for this role is $8,000 plus benefits", Pay(8000, 8000, "USD", "year")),
        ("Pay: $45 - $55 USD per hour, overtime after 8", Pay(45, 55, "USD", "hour")),
        ("$45 - $55 an hour", Pay(45, 55, "USD", "hour")),
        ("$45 - $55 (hourly), paid weekly", Pay(45, 55, "USD", "hour")),
        ("$4,200 monthly stipend", Pay(4200, 4200, "USD", "month")),
        ("Hourly Rate\n$22.00—$24.00 USD", Pay(22, 24, "USD", "hour")),
    ],
)
def test_unit_from_its_sentence(text, expected):
    assert find_pay_in_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Work 5 days a week, with weekly meetings. Pay is $500",
        "Daily tasks range widely across departments; we pay $300",
        "This hourly, non-exempt role is based in LA. Pay is $30",
        "Our annual budget review is in May, and the gig pays $45",
        "Hourly pay is discussed at interview.\n\nStipend: $400",
    ],
)
def test_unrelated_unit_words_name_no_unit(text):
    pay = find_pay_in_text(text)
    assert pay is not None and pay.unit is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("180 €/day", Pay(180, 180, "EUR", "day")),
        ("Gage: 180-220 €/Tag, 180 €/day for the shoot", Pay(180, 180, "EUR", "day")),
        ("450 € - 500 € per week", Pay(450, 500, "EUR", "week")),
        ("Rate 25 $/hr", Pay(25, 25, "USD", "hour")),
        ("Pay: 1,500 USD weekly", Pay(1500, 1500, "USD", "week")),
        ("52,000 GBP a year", Pay(52000, 52000, "GBP", "year")),
        ("£250 per day", Pay(250, 250, "GBP", "day")),
    ],
)
def test_amount_before_its_currency(text, expected):
    assert find_pay_in_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Fee: 180 €", "1.200 € pro Tag", "1.200 €/day", "Budget of 5,000 EUR", "Call 555 USD"],
)
def test_amount_before_its_currency_needs_a_unit_and_a_plain_number(text):
    assert find_pay_in_text(text) is None
