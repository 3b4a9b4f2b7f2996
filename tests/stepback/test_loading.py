import json
import os
from pathlib import Path

import pytest

from stepback import loading
from stepback.loading import load_pending
from stepback.warehouse import Warehouse
from tests.conftest import posting, write_landing


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    warehouse = Warehouse.local(tmp_path / "w")
    warehouse.init()
    return warehouse


def rows(warehouse: Warehouse, sql: str) -> list[tuple]:
    with warehouse.reader() as con:
        return con.execute(sql).fetchall()


def test_valid_rows_load_and_bad_rows_go_to_quarantine(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [
        posting(source_id="1"),
        posting(source_id="2", url="javascript:alert(1)", pay_min=900, pay_max=100),
        "{not json",
        posting(source_id="3", remote="yes"),
        posting(source_id="4", title="Logger", company="Bunim/Murray", pay_unit="fortnight"),
        '["a", "list"]',
        posting(source_id="5", title="Field Producer", company="CBS News", posted_at="11/20/2026"),
        posting(source_id="6", posted_at="2099-01-01", scraped_at="2099-01-02T00:00:00Z"),
    ])
    [result] = load_pending(warehouse, landing)
    assert (result.lines_read, result.inserted, result.quarantined) == (8, 1, 7)
    assert rows(warehouse, "SELECT source_id FROM postings") == [("1",)]
    reasons = dict(rows(warehouse, "SELECT line_number, reasons FROM quarantine"))
    assert any(r.startswith("url:") for r in reasons[2])
    assert any(r.startswith("pay_max >= pay_min") for r in reasons[2])
    assert reasons[3][0].startswith("invalid JSON")
    assert reasons[4] == ["remote: expected true/false, got str"]
    assert any(r.startswith("pay_unit:") for r in reasons[5])
    assert reasons[6] == ["line is not a JSON object"]
    assert any(r.startswith("posted_at:") for r in reasons[7])
    assert reasons[8] == ["posted_at: in the future", "scraped_at: in the future"]
    raw = rows(warehouse, "SELECT raw_line FROM quarantine WHERE line_number = 5")[0][0]
    assert json.loads(raw)["title"] == "Logger"


def test_loading_the_same_file_twice_changes_nothing(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id=str(i)) for i in "abc"])
    load_pending(warehouse, landing)
    before = rows(warehouse, "SELECT * FROM postings ORDER BY source_id")
    [again] = load_pending(warehouse, landing)
    assert again.skipped
    assert rows(warehouse, "SELECT * FROM postings ORDER BY source_id") == before
    assert rows(warehouse, "SELECT count(*) FROM load_runs") == [(1,)]


def test_a_new_crawl_updates_only_changed_postings(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1"),
                                                          posting(source_id="2")])
    load_pending(warehouse, landing)
    first = dict(rows(warehouse, "SELECT source_id, changed_at FROM postings"))
    write_landing(landing / "jsonld_test", "run2.jsonl", [
        posting(source_id="1", scraped_at="2026-11-27T10:00:00+00:00"),
        posting(source_id="2", pay_min=300, pay_max=300, scraped_at="2026-11-27T10:00:00+00:00"),
        posting(source_id="3", scraped_at="2026-11-27T10:00:00+00:00"),
    ])
    results = load_pending(warehouse, landing)
    assert [r.skipped for r in results] == [True, False]
    assert (results[1].inserted, results[1].updated, results[1].unchanged) == (1, 1, 1)
    second = dict(rows(warehouse, "SELECT source_id, changed_at FROM postings"))
    assert second["1"] == first["1"]
    assert second["2"] > first["2"]
    assert rows(warehouse, "SELECT pay_min FROM postings WHERE source_id = '2'") == [(300.0,)]


def test_duplicate_keys_in_one_file_keep_the_last(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [
        posting(source_id="1", title="Office PA"), posting(source_id="1", title="Set PA"),
    ])
    load_pending(warehouse, landing)
    assert rows(warehouse, "SELECT title FROM postings") == [("Set PA",)]


def test_a_crash_mid_load_leaves_the_warehouse_as_before(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1"), "{bad"])

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(loading, "_insert_quarantine", crash)
    with pytest.raises(OSError, match="disk full"):
        load_pending(warehouse, landing)
    for table in ("postings", "quarantine", "landing_files", "load_runs"):
        assert rows(warehouse, f"SELECT count(*) FROM {table}") == [(0,)], table
    monkeypatch.undo()
    [result] = load_pending(warehouse, landing)
    assert (result.inserted, result.quarantined, result.skipped) == (1, 1, False)


def test_same_job_on_two_sources_is_one_job(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "greenhouse_a24", "run1.jsonl", [
        posting(source="greenhouse:a24", source_id="4001", company="A24",
                title="Writers' PA - Untitled A24 Series", url="https://boards.example/4001"),
    ])
    write_landing(landing / "rss_demo", "run1.jsonl", [
        posting(source="rss:demo", source_id="77", company="A24 Films",
                title="Writers PA, Untitled A24 Series", url="https://board.example/77"),
    ])
    load_pending(warehouse, landing)
    assert rows(warehouse, "SELECT count(*) FROM postings") == [(2,)]
    [(urls,)] = rows(warehouse, "SELECT urls FROM jobs")
    assert sorted(urls) == ["https://board.example/77", "https://boards.example/4001"]


def finished_crawl(path: Path, **stats: object) -> Path:
    """The stats file a finished crawl writes beside its landing file."""
    stats_path = path.with_name(path.stem + ".stats.json")
    stats_path.write_text(json.dumps({"finish_reason": "finished", **stats}), "utf-8")
    return path


def test_every_observation_is_kept(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1")])
    write_landing(landing / "jsonld_test", "run2.jsonl", [
        posting(source_id="1", scraped_at="2026-11-27T10:00:00+00:00"),
        posting(source_id="1", pay_min=300, pay_max=300, scraped_at="2026-11-27T11:00:00+00:00"),
        "{broken",
    ])
    load_pending(warehouse, landing)
    observed = rows(warehouse, "SELECT landing_file, line_number, content_hash FROM raw_postings "
                               "ORDER BY landing_file, line_number")
    assert [(f, n) for f, n, _ in observed] == [
        ("jsonld_test/run1.jsonl", 1), ("jsonld_test/run2.jsonl", 1),
        ("jsonld_test/run2.jsonl", 2),
    ]
    assert observed[0][2] == observed[1][2] != observed[2][2]
    assert rows(warehouse, "SELECT pay_min FROM postings") == [(300.0,)]


def test_expired_postings_close(warehouse: Warehouse, tmp_path: Path):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [
        posting(source_id="old", valid_through="2020-01-01"),
        posting(source_id="open", valid_through="2099-01-01"),
        posting(source_id="undated", valid_through=None),
    ])
    [result] = load_pending(warehouse, landing)
    assert result.closed == 1
    closed = dict(rows(warehouse, "SELECT source_id, closed_at IS NOT NULL FROM postings"))
    assert closed == {"old": True, "open": False, "undated": False}


def test_postings_gone_from_complete_crawls_close_and_reopen(
    warehouse: Warehouse, tmp_path: Path
):
    landing = tmp_path / "landing" / "jsonld_test"

    def crawl(run: str, ids: list[str], complete: bool = True) -> None:
        path = write_landing(landing, f"{run}.jsonl", [
            posting(source_id=i, scraped_at=f"2026-11-2{run[-1]}T10:00:00+00:00") for i in ids
        ])
        if complete:
            finished_crawl(path)
        load_pending(warehouse, landing.parent, close_after_missed=2)

    def state() -> dict[str, tuple]:
        return {r[0]: (r[1], r[2]) for r in rows(
            warehouse, "SELECT source_id, missed_crawls, closed_at IS NOT NULL FROM postings")}

    crawl("run1", ["a", "b"])
    crawl("run2", ["a"])
    assert state() == {"a": (0, False), "b": (1, False)}
    crawl("run3", ["a"], complete=False)
    assert state()["b"] == (1, False)
    crawl("run4", ["a"])
    assert state()["b"] == (2, True)
    crawl("run5", ["a", "b"])
    assert state()["b"] == (0, False)


def test_near_misses_stay_two_jobs_and_regrouping_is_idempotent(
    warehouse: Warehouse, tmp_path: Path
):
    landing = tmp_path / "landing"
    snl = "Saturday Night Live needs a production assistant for the production office in 8H: " \
          "scripts, rundowns, runs across Manhattan and late nights on show weeks."
    tonight = "The Tonight Show needs a production assistant for the talent department: " \
              "escorting guests, green room set-up and running the daily schedule."
    write_landing(landing / "jsonld_test", "run1.jsonl", [
        posting(source_id="1", title="Production Assistant", company="NBC", description=snl,
                production=None, location="New York, NY"),
        posting(source_id="2", title="Production Assistant", company="NBC", description=tonight,
                production=None, location="New York, NY"),
    ])
    write_landing(landing / "rss_test", "run1.jsonl", [
        posting(source="rss:test", source_id="9", title="PA", company="NBC Entertainment",
                description="Posted via the board. " + snl, production=None,
                location="New York, NY", url="https://feed.example/9"),
    ])
    load_pending(warehouse, landing)
    groups = rows(warehouse, "SELECT list(source || ':' || source_id ORDER BY source, source_id) "
                             "FROM postings GROUP BY job_key ORDER BY 1")
    assert groups == [(["jsonld:test:1", "rss:test:9"],), (["jsonld:test:2"],)]
    before = rows(warehouse, "SELECT source_id, job_key FROM postings ORDER BY 1")
    with warehouse.writer() as con:
        assert loading.regroup_all(con) == 0
    assert rows(warehouse, "SELECT source_id, job_key FROM postings ORDER BY 1") == before


def test_an_empty_landing_file_loads_as_nothing_new(warehouse: Warehouse, tmp_path: Path):
    """An incremental crawl that found only known postings lands an empty file."""
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1")])
    load_pending(warehouse, landing)
    (landing / "jsonld_test" / "run2.jsonl").write_text("", "utf-8")
    finished_crawl(landing / "jsonld_test" / "run2.jsonl", **{"incremental/skipped_known": 1})
    results = load_pending(warehouse, landing)
    assert [(r.skipped, r.lines_read, r.inserted) for r in results] == [(True, 0, 0),
                                                                       (False, 0, 0)]
    assert rows(warehouse, "SELECT missed_crawls, closed_at FROM postings") == [(0, None)]


def test_large_blocks_group_copies_through_their_rare_sentences(
    warehouse: Warehouse, tmp_path: Path
):
    """A block of more than `EXHAUSTIVE_BLOCK_SIZE` postings compares only postings that share
    a min-hash of their uncommon sentences; the shared boilerplate must not join them."""
    from stepback.grouping import EXHAUSTIVE_BLOCK_SIZE

    boilerplate = ("NBCUniversal is an equal opportunity employer and values every voice. "
                   "All offers are contingent on a background check and references. ")
    shows = ["Saturday Night Live", "The Tonight Show", "Late Night", "Today", "Dateline",
             "Nightly News", "Meet the Press", "The Voice", "American Ninja Warrior",
             "Sunday Night Football", "Access Hollywood", "Hoda and Jenna"]
    assert len(shows) > EXHAUSTIVE_BLOCK_SIZE

    def text(i: int, show: str) -> str:
        return (f"The {show} team is hiring a production assistant to cover rehearsals, "
                f"scripts and green room runs for show number {i}. "
                f"Expect early calls in studio {i} and fast turnarounds on {show} days. "
                + boilerplate + f"Reference {i:06d} for this opening.")

    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [
        posting(source_id=str(i), title="Production Assistant", company="NBCUniversal",
                production=None, location="New York, NY", description=text(i, show))
        for i, show in enumerate(shows)
    ])
    write_landing(landing / "rss_test", "run1.jsonl", [
        posting(source="rss:test", source_id="copy", title="PA", company="NBCUniversal, LLC",
                production=None, location="New York, NY", url="https://feed.example/copy",
                description="Posted via the board. " + text(3, shows[3])
                            + " Apply below with your resume."),
    ])
    load_pending(warehouse, landing)
    groups = rows(warehouse, "SELECT list(source_id ORDER BY source_id) FROM postings "
                             "GROUP BY job_key HAVING count(*) > 1")
    assert groups == [(["3", "copy"],)]
    assert rows(warehouse, "SELECT count(*) FROM jobs") == [(len(shows),)]


def test_a_backlog_loaded_at_once_ends_as_crawl_by_crawl(tmp_path: Path):
    """Files of one chunk commit together, set-based; the result must be what loading them one
    at a time, in order, gives: counts per file, missed crawls, closing, the last word."""
    crawls = [
        ("jsonld_test", ["a", "b", "c", "old"], True),
        ("rss_test", ["x"], False),
        ("jsonld_test", ["a", "c"], True),
        ("jsonld_test", ["a"], False),
        ("jsonld_test", ["a", "c2"], True),
        ("rss_test", ["x", "y"], True),
        ("jsonld_test", ["a", "c"], True),
    ]

    def lines(run: int, folder: str, ids: list[str]) -> list[dict]:
        source = folder.replace("_", ":")
        return [posting(source=source, source_id=i, url=f"https://jobs.example.com/{i}",
                        pay_min=200 + 10 * (run if i in ("a", "y") else 0), pay_max=900,
                        valid_through="2020-01-01" if i == "old" else "2027-01-15",
                        scraped_at=f"2026-11-2{run}T10:00:00+00:00") for i in ids]

    def write(landing: Path, run: int) -> None:
        folder, ids, complete = crawls[run]
        path = write_landing(landing / folder, f"run{run}.jsonl", lines(run, folder, ids))
        os.utime(path, (1_800_000_000 + run, 1_800_000_000 + run))
        if complete:
            finished_crawl(path)

    def state(warehouse: Warehouse) -> tuple[list[tuple], list[tuple]]:
        return (
            rows(warehouse, "SELECT source, source_id, content_hash, pay_min, missed_crawls, "
                            "closed_at IS NOT NULL, job_key FROM postings ORDER BY ALL"),
            rows(warehouse, "SELECT landing_file, source, lines_read, inserted, updated, "
                            "unchanged FROM load_runs ORDER BY ALL"),
        )

    one_by_one = Warehouse.local(tmp_path / "one")
    one_by_one.init()
    closed_one_by_one = {}
    for run in range(len(crawls)):
        write(tmp_path / "one", run)
        for result in load_pending(one_by_one, tmp_path / "one", close_after_missed=2):
            closed_one_by_one.setdefault(result.landing_file, result.closed)
    at_once = Warehouse.local(tmp_path / "once")
    at_once.init()
    for run in range(len(crawls)):
        write(tmp_path / "once", run)
    results = load_pending(at_once, tmp_path / "once", close_after_missed=2)
    assert {r.landing_file: r.closed for r in results} == closed_one_by_one
    assert state(at_once) == state(one_by_one)
    closed = rows(at_once, "SELECT source_id FROM postings WHERE closed_at IS NOT NULL ORDER BY 1")
    assert closed == [("b",), ("old",)]
    assert closed_one_by_one["jsonld_test/run4.jsonl"] == 1


def test_a_file_relanded_with_new_content_keeps_both_observations(
    warehouse: Warehouse, tmp_path: Path
):
    landing = tmp_path / "landing"
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1")])
    load_pending(warehouse, landing)
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1", pay_min=300,
                                                                  pay_max=300)])
    [result] = load_pending(warehouse, landing)
    assert (result.skipped, result.updated) == (False, 1)
    observed = rows(warehouse, "SELECT line_number, count(DISTINCT content_hash) FROM "
                               "raw_postings GROUP BY ALL")
    assert observed == [(1, 2)]
