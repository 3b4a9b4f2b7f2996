"""ATS pay objects (Lever salaryRange, Ashby compensation), company slugs, team productions."""

import pytest

from scrapers.normalize.ats import (
    ashby_interval,
    ashby_salary_component,
    pay_from_ashby,
    pay_from_lever,
)
from scrapers.normalize.company import company_from_slug
from scrapers.normalize.pay import Pay
from scrapers.normalize.teams import production_from_team


@pytest.mark.parametrize(
    ("interval", "low", "high", "expected"),
    [
        ("per-year-salary", 70000, 85000, Pay(70000, 85000, "USD", "year")),
        ("per-month-salary", 5000, 6000, Pay(5000, 6000, "USD", "month")),
        ("per-week-salary", 1200, 1200, Pay(1200, 1200, "USD", "week")),
        ("per-day-wage", 350, 450, Pay(350, 450, "USD", "day")),
        ("per-hour-wage", 20, 22.5, Pay(20, 22.5, "USD", "hour")),
        ("bi-week-salary", 3000, 3200, Pay(1500, 1600, "USD", "week")),
        ("semi-month-salary", 2500, 2500, Pay(5000, 5000, "USD", "month")),
        ("bi-month-salary", 9000, 9000, Pay(4500, 4500, "USD", "month")),
        ("one-time", 5000, 5000, Pay(5000, 5000, "USD", None)),
        ("per-fortnight-someday", 10, 20, Pay(10, 20, "USD", None)),
        (None, 10, 20, Pay(10, 20, "USD", None)),
    ],
)
def test_lever_intervals(interval, low, high, expected):
    salary = {"currency": "USD", "interval": interval, "min": low, "max": high}
    assert pay_from_lever(salary) == expected


def test_lever_ranges_that_say_nothing():
    assert pay_from_lever(None) is None
    unfilled = {"currency": "USD", "interval": "per-year-salary", "min": 0, "max": 0}
    assert pay_from_lever(unfilled) is None
    assert pay_from_lever({"min": None, "max": None}) is None
    assert pay_from_lever({"min": "n/a", "max": -5}) is None


def test_lever_one_sided_and_odd_ranges():
    assert pay_from_lever({"currency": "usd", "interval": "per-hour-wage", "max": 30}) == Pay(
        30, 30, "USD", "hour"
    )
    reversed_range = {"currency": "GBP", "interval": "per-year-salary", "min": 40000,
                      "max": 30000}
    assert pay_from_lever(reversed_range) == Pay(30000, 40000, "GBP", "year")
    assert pay_from_lever({"currency": "ZZZ", "min": "1,500", "max": True}) == Pay(
        1500, 1500, None, None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 YEAR", (1, "year")), ("1 HOUR", (1, "hour")), ("2 WEEK", (2, "week")),
        ("0.5 MONTH", (0.5, "month")), ("1 day", (1, "day")), ("NONE", (1, None)),
        ("1 TIME", (1, None)), ("0 YEAR", None), ("YEARLY", None), (None, None), (12, None),
    ],
)
def test_ashby_intervals(text, expected):
    assert ashby_interval(text) == expected


SALARY = {"compensationType": "Salary", "interval": "1 YEAR", "currencyCode": "USD",
          "minValue": 81000, "maxValue": 87000}
EQUITY = {"compensationType": "EquityPercentage", "interval": "NONE", "currencyCode": None,
          "minValue": 0.5, "maxValue": 1.75}


def test_ashby_salary_component_skips_equity():
    compensation = {"summaryComponents": [EQUITY, SALARY]}
    assert ashby_salary_component(compensation) == SALARY
    assert pay_from_ashby(compensation) == Pay(81000, 87000, "USD", "year")


def test_ashby_tiers_when_no_summary_components():
    compensation = {"summaryComponents": [EQUITY],
                    "compensationTiers": [{"components": [EQUITY]},
                                          {"components": [{**SALARY, "interval": "2 WEEK",
                                                           "minValue": 3000,
                                                           "maxValue": 3400}]}]}
    assert pay_from_ashby(compensation) == Pay(1500, 1700, "USD", "week")


def test_ashby_summary_text_when_no_components():
    assert pay_from_ashby({"scrapeableCompensationSalarySummary": "$81K - $87K"}) == Pay(
        81000, 87000, "USD", "year"
    )
    assert pay_from_ashby({"compensationTierSummary": "£30/hr • Offers Bonus"}) == Pay(
        30, 30, "GBP", "hour"
    )


def test_ashby_compensation_without_pay():
    assert pay_from_ashby(None) is None
    assert pay_from_ashby({"summaryComponents": [EQUITY]}) is None
    assert pay_from_ashby({"compensationTierSummary": "0.5% – 1.75% • Offers Equity"}) is None
    zero = {**SALARY, "minValue": 0, "maxValue": None}  # an unfilled range
    assert pay_from_ashby({"summaryComponents": [zero]}) is None


@pytest.mark.parametrize(
    ("slug", "name"),
    [
        ("skydance", "Skydance"), ("wrapbook", "Wrapbook"), ("disney", "Disney"),
        ("dick-clark-productions", "Dick Clark Productions"), ("a24", "A24"),
        ("NBCUniversal3", "NBCUniversal"), ("lions_gate", "Lions Gate"), ("", None), (None, None),
    ],
)
def test_company_from_slug(slug, name):
    assert company_from_slug(slug) == name


@pytest.mark.parametrize(
    ("names", "production"),
    [
        (("Jack Ryan", "Skydance Television"), "Jack Ryan"),
        (("Support", "Customer Operations"), None),
        (("Customer Success",), None),
        (("Payroll Services", "Saturday Night Live"), "Saturday Night Live"),
        (("Skydance Animation",), None),  # the company and a generic word
        ((None, 42, ""), None),
    ],
)
def test_production_from_team(names, production):
    assert production_from_team(*names, company="Skydance") == production


ODD = [None, True, 0, -1, 1e308, float("nan"), "", "x", [], {}, [{}], {"min": {}},
       {"interval": 5, "min": "1e999"}, {"summaryComponents": [None, 1, {"interval": []}]},
       {"compensationTiers": [None, {"components": "x"}]}, object()]


@pytest.mark.parametrize(
    "normalise",
    [pay_from_lever, pay_from_ashby, ashby_interval, company_from_slug, production_from_team],
)
def test_never_raises(normalise):
    for value in ODD:
        normalise(value)
