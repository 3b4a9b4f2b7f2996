"""Real-world JSON-LD and microdata quirks, each page parsed to the exact posting expected."""

import pytest
from scrapy.http import HtmlResponse
from scripted_site import fixture as read_fixture

from scrapers.items import POSTING_FIELDS
from scrapers.spiders.jsonld import JsonLdSpider

PAGE = "http://board.example/jobs/x/"


def expected(spider, **fields):
    """A whole posting: every contract field, None unless given."""
    posting = dict.fromkeys(POSTING_FIELDS)
    posting.update(source="test:fixtures", url=PAGE, scraped_at=spider.scraped_at, raw={})
    posting.update(fields)
    return posting


@pytest.fixture
def spider(make_spider):
    return make_spider(JsonLdSpider)


def parse(spider, fixture, page):
    return list(spider.parse_detail(page(PAGE, f"jsonld/{fixture}")))


def test_broken_block_beside_a_good_one(spider, page, caplog):
    """One block has unescaped quotes; the good block still gives its posting."""
    [posting] = parse(spider, "job-broken-and-good.html", page)
    assert posting == expected(
        spider,
        source_id="https://board.example/jobs/2001",
        title="Production Assistant - Saturday Night Live",
        company="Broadway Video",
        production="Saturday Night Live",
        location="New York, NY",
        employment_type="part_time",
        pay_min=20, pay_max=25, pay_currency="USD", pay_unit="hour",
        union=True,
        posted_at="2026-11-20",
        description=(
            "Join the crew of Saturday Night Live at 30 Rock.\n"
            "NABET-CWA position – nights and weekends."
        ),
        raw={
            "identifier": "https://board.example/jobs/2001",
            "datePosted": "20 Nov 2026",
            "employmentType": "PART_TIME",
            "hiringOrganization": "Broadway Video",
            "jobLocation": {"@type": "Place", "address": {
                "@type": "PostalAddress", "addressLocality": "New York", "addressRegion": "NY",
                "addressCountry": "United States"}},
            "baseSalary": "$20-$25 per hour",
            "salaryCurrency": "$",
        },
    )
    assert spider.crawler.stats.get_value("drop/jsonld/broken_json") == 1
    assert [r.levelname for r in caplog.records if "broken_json" in r.getMessage()] == ["WARNING"]


def test_top_level_array_number_salary_and_euro_sign(spider, page):
    [posting] = parse(spider, "job-array-euro-number.html", page)
    assert posting == expected(
        spider,
        source_id="BER-77",
        url="https://board.example/jobs/ber-77/",
        title="Assistant Production Coordinator",
        company="UFA Fiction",
        location="Berlin, Germany",
        employment_type="full_time",
        pay_min=45000, pay_max=45000, pay_currency="EUR",
        posted_at="2026-11-19T09:00:00+00:00",
        valid_through="2026-12-31",
        description="Support the production office of a high-end drama series shooting in Berlin.",
        raw={
            "identifier": "BER-77",
            "datePosted": "2026-11-19T10:00:00+01:00",
            "validThrough": "12/31/2026",
            "employmentType": "FULL_TIME",
            "hiringOrganization": {"@type": "Organization", "name": "UFA Fiction"},
            "jobLocation": {"@type": "Place",
                            "address": {"addressLocality": "Berlin", "addressCountry": "DE"}},
            "baseSalary": 45000,
            "salaryCurrency": "€",
        },
    )


def test_commented_graph_telecommute_and_applicant_countries(spider, page):
    """HTML comment wrapper, stray control characters, text range inside a QuantitativeValue."""
    [posting] = parse(spider, "job-telecommute-graph.html", page)
    assert posting == expected(
        spider,
        source_id="R-3003",
        title="Remote Researcher – Untitled True Crime Docuseries",
        company="Lightbox Docs",
        production="Untitled True Crime Docuseries",
        location="US; Canada",
        remote=True,
        employment_type="contract",
        pay_min=1000, pay_max=1400, pay_currency="USD", pay_unit="week",
        union=False,
        posted_at="2026-11-21",
        description="Research archival footage and court records.\nFreelance, 8 weeks. Non-union.",
        raw={
            "identifier": {"@type": "PropertyValue", "propertyID": "requisition",
                           "value": "R-3003"},
            "datePosted": "2026-11-21",
            "employmentType": ["CONTRACTOR"],
            "hiringOrganization": [{"@type": "Organization", "name": "Lightbox Docs"}],
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": [{"@type": "Country", "name": "USA"},
                                              {"@type": "Country", "name": "Canada"}],
            "baseSalary": {"@type": "MonetaryAmount", "currency": "USD", "value": {
                "@type": "QuantitativeValue", "value": "1,000 - 1,400", "unitText": "WEEK"}},
        },
    )


def test_cdata_quantitative_value_pound_sign_and_month_name_date(spider, page):
    [posting] = parse(spider, "job-quantitative-value.html", page)
    assert posting == expected(
        spider,
        source_id="5151",
        title="Edit Runner",
        company="Cutting Room Ltd",
        location="UK",
        remote=True,
        employment_type="temporary",
        pay_min=18.5, pay_max=18.5, pay_currency="GBP", pay_unit="hour",
        posted_at="2026-11-22",
        description="Runs for a remote edit team.\nKit delivery across London once a week.",
        raw={
            "identifier": 5151,
            "datePosted": "November 22, 2026",
            "employmentType": "TEMPORARY",
            "hiringOrganization": {"@type": "Organization", "legalName": "Cutting Room Ltd"},
            "jobLocationType": "TELECOMMUTE",
            "applicantLocationRequirements": {"@type": "Country", "name": "United Kingdom"},
            "baseSalary": {"@type": "QuantitativeValue", "value": 18.5, "unitText": "HOUR"},
            "salaryCurrency": "£",
        },
    )


def test_microdata_when_no_jsonld_jobposting(spider, page):
    [posting] = parse(spider, "job-microdata.html", page)
    schema = "https://schema.org/"
    assert posting == expected(
        spider,
        source_id="MD-6060",
        url="http://board.example/jobs/md-6060/",
        title="Camera Utility - Sunday Night Football",
        company="NBC Sports",
        production="Sunday Night Football",
        location="Stamford, CT",
        employment_type="per_diem",
        pay_min=300, pay_max=350, pay_currency="USD", pay_unit="day",
        union=True,
        posted_at="2026-11-23",
        description=(
            "Cable pulling and camera support for the live broadcast.\n"
            "IATSE Local 600 show\nWeekends through February"
        ),
        raw={
            "identifier": "MD-6060",
            "datePosted": "2026-11-23",
            "employmentType": "Per Diem",
            "hiringOrganization": {"@type": f"{schema}Organization", "name": "NBC Sports"},
            "jobLocation": {"@type": f"{schema}Place", "address": {
                "@type": f"{schema}PostalAddress", "addressLocality": "Stamford",
                "addressRegion": "Connecticut", "addressCountry": "US"}},
            "baseSalary": {"@type": f"{schema}MonetaryAmount", "currency": "USD", "value": {
                "@type": f"{schema}QuantitativeValue", "minValue": "300", "maxValue": "350",
                "unitText": "DAY"}},
        },
    )
    assert spider.crawler.stats.get_value("jsonld/microdata_pages") == 1


def test_jsonld_wins_over_microdata(spider, page):
    [posting] = parse(spider, "job-jsonld-and-microdata.html", page)
    assert (posting["source_id"], posting["title"]) == ("JL-1", "Stage Manager")
    assert spider.crawler.stats.get_value("jsonld/microdata_pages") is None


@pytest.mark.parametrize(
    ("fixture", "content_type", "title", "company", "description"),
    [
        ("job-windows-1252.html", "text/html; charset=windows-1252",
         "Régisseur – Café Concert", "Théâtre Zéphyr",
         "“Les Nuits du Café” cherche un régisseur. Cachet 180 € par jour."),
        ("job-latin1-meta.html", "text/html",
         "Asistente de producción", "Peñíscola Films",
         "Rodaje en Málaga. Señal de ¡acción! a las 7:00."),
    ],
)
def test_pages_are_decoded_by_their_declared_charset(
    spider, fixture, content_type, title, company, description
):
    body = read_fixture(f"jsonld/{fixture}")
    response = HtmlResponse(PAGE, body=body, headers={"Content-Type": content_type})
    [posting] = spider.parse_detail(response)
    assert (posting["title"], posting["company"], posting["description"]) == (
        title, company, description
    )


def test_seen_values_go_to_raw(spider, page):
    response = page(PAGE, "jsonld/job-jsonld-and-microdata.html")
    [posting] = spider.parse_detail(response, seen={"listing_date": "2026-11-24"})
    assert posting["raw"]["listing_date"] == "2026-11-24"
