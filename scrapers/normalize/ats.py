"""Pay from ATS compensation objects: Lever `salaryRange` and Ashby compensation components."""

from __future__ import annotations

import math
import re
from typing import Any

from scrapers.normalize.pay import Pay, find_pay_in_text, normalize_currency

# Lever interval -> (how many units one amount covers, unit). Exact rescaling only:
# "bi-week-salary" is per two weeks, "semi-month-salary" per half month. One-time has no unit.
_LEVER_INTERVALS: dict[str, tuple[float, str | None]] = {
    "per-hour-wage": (1, "hour"),
    "per-day-wage": (1, "day"),
    "per-week-salary": (1, "week"),
    "bi-week-salary": (2, "week"),
    "semi-month-salary": (0.5, "month"),
    "per-month-salary": (1, "month"),
    "bi-month-salary": (2, "month"),
    "per-year-salary": (1, "year"),
    "one-time": (1, None),
}
_ASHBY_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(HOUR|DAY|WEEK|MONTH|YEAR)S?\s*$", re.I)
_ASHBY_ONE_OFF = {"NONE", "1 TIME", "ONE TIME", "ONE_TIME"}
_ASHBY_SALARY_TYPES = {"salary"}


def pay_from_lever(salary_range: Any) -> Pay | None:
    """Lever `salaryRange` {currency, interval, min, max}; None when it is absent or all zero."""
    if not isinstance(salary_range, dict):
        return None
    interval = salary_range.get("interval")
    scale = _LEVER_INTERVALS.get(interval.strip().lower()) if isinstance(interval, str) else None
    count, unit = scale or (1, None)
    return _scaled_pay(
        salary_range.get("min"), salary_range.get("max"), salary_range.get("currency"), count, unit
    )


def pay_from_ashby(compensation: Any) -> Pay | None:
    """The Salary component of Ashby `compensation`, else its summary text ("$81K - $87K")."""
    if not isinstance(compensation, dict):
        return None
    component = ashby_salary_component(compensation)
    pay = _pay_from_component(component) if component is not None else None
    if pay is not None:
        return pay
    for key in ("scrapeableCompensationSalarySummary", "compensationTierSummary"):
        pay = find_pay_in_text(compensation.get(key))
        if pay is not None and pay.max:
            return pay
    return None


def ashby_salary_component(compensation: dict[str, Any]) -> dict[str, Any] | None:
    """The first Salary component: the board-wide summary first, then each tier's components."""
    groups: list[Any] = [compensation.get("summaryComponents")]
    tiers = compensation.get("compensationTiers")
    if isinstance(tiers, list):
        groups += [tier.get("components") for tier in tiers if isinstance(tier, dict)]
    for components in groups:
        for component in components if isinstance(components, list) else []:
            if _is_salary(component):
                return component
    return None


def ashby_interval(value: Any) -> tuple[float, str | None] | None:
    """ "1 YEAR" -> (1, "year"), "2 WEEK" -> (2, "week"), "NONE" -> (1, None); else None."""
    if not isinstance(value, str):
        return None
    if value.strip().upper() in _ASHBY_ONE_OFF:
        return 1, None
    match = _ASHBY_INTERVAL.match(value)
    if not match or float(match[1]) <= 0:
        return None
    return float(match[1]), match[2].lower()


def _is_salary(component: Any) -> bool:
    if not isinstance(component, dict):
        return False
    kind = component.get("compensationType")
    return isinstance(kind, str) and kind.strip().lower() in _ASHBY_SALARY_TYPES


def _pay_from_component(component: dict[str, Any]) -> Pay | None:
    count, unit = ashby_interval(component.get("interval")) or (1, None)
    return _scaled_pay(
        component.get("minValue"), component.get("maxValue"), component.get("currencyCode"),
        count, unit,
    )


def _scaled_pay(low: Any, high: Any, currency: Any, count: float, unit: str | None) -> Pay | None:
    """Amounts per `count` units, given per one unit; a zero or missing amount is unset."""
    amounts = [a for a in (_amount(low, count), _amount(high, count)) if a is not None]
    if not amounts:
        return None
    return Pay(min(amounts), max(amounts), normalize_currency(currency), unit)


def _amount(value: Any, count: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value.replace(",", "")) if isinstance(value, str) else float(value)
    except ValueError:
        return None
    if math.isnan(number) or math.isinf(number) or number <= 0:
        return None
    number = round(number / count, 2)
    return int(number) if number.is_integer() else number
