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
