import pytest

from scrapers.normalize.employment import employment_type
from scrapers.normalize.remote import is_remote
from scrapers.normalize.union import union_status


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FULL_TIME", "full_time"),
        ("PART_TIME", "part_time"),
        ("CONTRACTOR", "contract"),
        ("TEMPORARY", "temporary"),
        ("INTERN", "internship"),
        ("PER_DIEM", "per_diem"),
        ("VOLUNTEER", "other"),
        ("OTHER", "other"),
        ("Freelance", "freelance"),
        ("Full Time", "full_time"),
        ("full-time", "full_time"),
        ("Part-Time", "part_time"),
        ("Internship", "internship"),
        ("Day Player", "freelance"),
        ("Seasonal", "temporary"),
        (["TEMPORARY", "FULL_TIME"], "temporary"),
        (["Paid", "Full Time"], "full_time"),
        ("FULL_TIME, CONTRACTOR", "full_time"),
        ("Freelance / Project based", "freelance"),
    ],
)
def test_employment_type(value, expected):
    assert employment_type(value) == expected


@pytest.mark.parametrize("garbage", [None, "", "Paid", "Job", 3, {"a": 1}, [None, 4]])
def test_employment_type_garbage(garbage):
    assert employment_type(garbage) is None


@pytest.mark.parametrize(
    ("location_type", "texts", "expected"),
    [
        ("TELECOMMUTE", (), True),
        (["TELECOMMUTE"], (), True),
        (None, ("Remote - US",), True),
        (None, ("Los Angeles, CA (Hybrid)",), False),
        (None, ("On-site in Atlanta",), False),
        (None, ("Not remote; New York",), False),
        (None, ("Los Angeles, CA",), None),
        (None, (None, 5), None),
        (42, (), None),
    ],
)
def test_is_remote(location_type, texts, expected):
    assert is_remote(location_type, *texts) is expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("This is a DGA show",), True),
        (("IATSE Local 600 camera utility",), True),
        (("Local 871 script coordinator",), True),
        (("SAG-AFTRA ultra low budget",), True),
        (("WGA signatory",), True),
        (("NABET-CWA engineers",), True),
        (("Teamsters Local 399 driver",), True),
        (("Union",), True),
        (("Union production, 12-hour days",), True),
        (("Non-union indie",), False),
        (("This is a nonunion shoot",), False),
        (("Union and non-union crew welcome",), None),
        (("Meet at Union Station", "European Union citizens"), None),
        (("Great crew", "credit union benefits"), None),
        ((None, 3, ""), None),
        ((), None),
    ],
)
def test_union_status(texts, expected):
    assert union_status(*texts) is expected
