"""Display values derived from a posting: location, pay, employment type, plain text."""

from datetime import datetime
from html.parser import HTMLParser

from stepback.demoboard.catalog import Posting

COUNTRY_NAMES = {"US": "United States", "GB": "United Kingdom"}
_COUNTRY_SHORT = {"GB": "UK"}
_CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£"}
_UNIT_WORDS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year"}
EMPLOYMENT_LABELS = {
    "full_time": "Full Time",
    "part_time": "Part Time",
    "contract": "Contract",
    "temporary": "Temporary",
    "freelance": "Freelance",
    "internship": "Internship",
    "per_diem": "Per Diem",
    "other": "Other",
}
SCHEMA_EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "freelance": "CONTRACTOR",
    "internship": "INTERN",
    "per_diem": "PER_DIEM",
    "other": "VOLUNTEER",
}
COMPENSATION_LABELS = {"paid": "Paid", "unpaid": "Unpaid", "deferred": "Deferred Pay"}


def location_text(posting: Posting) -> str:
    if posting["remote"]:
        return f"Remote - {posting['country']}"
    country = posting["country"]
    second = posting["region"] or _COUNTRY_SHORT.get(country, country)
    return f"{posting['city']}, {second}"


def full_location_text(posting: Posting) -> str:
    """City, region and country name, as Greenhouse offices write it."""
    country = COUNTRY_NAMES.get(posting["country"], posting["country"])
    parts = [posting["city"], posting["region"], country]
    return ", ".join(part for part in parts if part)


def money(amount: float, currency: str) -> str:
    symbol = _CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    return f"{symbol}{amount:,.2f}" if amount < 100 else f"{symbol}{amount:,.0f}"


def pay_text(posting: Posting) -> str:
    if posting["pay_note"]:
        return posting["pay_note"]
    if posting["pay_min"] is None:
        return COMPENSATION_LABELS[posting["compensation"]]
    currency, unit = posting["pay_currency"], _UNIT_WORDS[posting["pay_unit"]]
    low, high = posting["pay_min"], posting["pay_max"]
    if high is None or high == low:
        return f"{money(low, currency)}/{unit}"
    return f"{money(low, currency)}–{money(high, currency)}/{unit}"


def union_text(posting: Posting) -> str:
    return f"Union ({', '.join(posting['unions'])})" if posting["union"] else "Non-union"


def date_label(value: str) -> str:
    return datetime.fromisoformat(value).strftime("%b %d, %Y").replace(" 0", " ")


class _TextExtractor(HTMLParser):
    _BREAKS = {"p", "ul", "ol", "div", "br", "h1", "h2", "h3", "h4"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.parts).splitlines())
    return "\n".join(line for line in lines if line)
