"""The lake warehouse: migrations, extensions from installed files, retries, time travel,
and the import of a single-file warehouse from earlier releases."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from stepback import legacy_import
from stepback.warehouse import (
    Warehouse,
    WarehouseBusy,
    apply_migrations,
    extension_file,
    migrations,
    session,
)

LEGACY_MIGRATIONS = Path(__file__).resolve().parent.parent / "fixtures" / "legacy_migrations"


def test_init_applies_migrations_once(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path / "w")
    first = warehouse.init()
    assert first == [m.name for m in migrations()]
    assert warehouse.init() == []
    with warehouse.reader() as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
        views = {r[0] for r in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = 'lake'").fetchall()}
    assert versions == [m.version for m in migrations()]
    assert {"jobs", "opportunities", "source_health"} <= views
    assert (tmp_path / "w" / "lake.sqlite").exists() and (tmp_path / "w" / "lake").is_dir()


def test_the_catalog_is_in_wal_mode_so_readers_never_block_a_writer(tmp_path: Path) -> None:
    import sqlite3

    Warehouse.local(tmp_path).init()
    db = sqlite3.connect(tmp_path / "lake.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.close()


def test_no_extension_is_ever_downloaded(tmp_path: Path) -> None:
    """Autoinstall and autoload are off, the loaded extensions are the installed files, and a
    whole session (init, a write, a read) leaves nothing in DuckDB's extension folder."""
    script = (
        "import sys\nfrom pathlib import Path\nimport duckdb\n"
        "from stepback.warehouse import Warehouse\n"
        "w = Warehouse.local(Path(sys.argv[1]))\nw.init()\n"
        "w.transaction(lambda c: c.execute(\"INSERT INTO feedback VALUES "
        "('a@example.com', 'k', 'good', 'cli', now())\"), 'write')\n"
        "with w.reader() as con:\n"
        "    print(con.execute('SELECT count(*) FROM feedback').fetchone()[0])\n"
        "    print(sorted(r[0] for r in con.execute('SELECT name FROM duckdb_settings() WHERE "
        "name IN (\\'autoinstall_known_extensions\\', \\'autoload_known_extensions\\') "
        "AND value = \\'false\\'').fetchall()))\n"
        "    print(sorted(r[0] for r in con.execute('SELECT extension_name FROM "
        "duckdb_extensions() WHERE loaded AND install_mode IS DISTINCT FROM \\'STATICALLY_LINKED"
        "\\'').fetchall()))\n"
        "    try:\n        con.execute(\"SELECT * FROM read_xlsx('x.xlsx')\")\n"
        "    except duckdb.Error as exc:\n        print(type(exc).__name__)\n")
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "lake")],
                          capture_output=True, text=True, check=False,
                          env=os.environ | {"HOME": str(home)},
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    rows, settings, loaded, excel = done.stdout.splitlines()
    assert rows == "1"
    assert settings == "['autoinstall_known_extensions', 'autoload_known_extensions']"
    assert "ducklake" in loaded and "sqlite_scanner" in loaded
    assert excel.endswith("Exception"), "an extension not loaded stays unavailable"
    assert not (home / ".duckdb").exists(), "nothing was installed into DuckDB's folder"
    assert extension_file("ducklake").name == "ducklake.duckdb_extension"
    assert f"v{duckdb.__version__}" in str(extension_file("httpfs"))


def test_reader_without_warehouse_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="stepback init"):
        with Warehouse.local(tmp_path / "missing").reader():
            pass


def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path / "w")
    warehouse.init()
    sql = tmp_path / "sql"
    shutil.copytree(Path(__file__).resolve().parents[2] / "sql", sql)
    (sql / "migrations" / "002_ok.sql").write_text("CREATE TABLE a (x INTEGER);", "utf-8")
    (sql / "migrations" / "003_bad.sql").write_text(
        "CREATE TABLE b (x INTEGER); SELEC oops;", "utf-8")
    with pytest.raises(duckdb.ParserException):
        warehouse.transaction(lambda con: apply_migrations(con, sql), "init")
    with warehouse.reader() as con:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake'").fetchall()}
        applied = [r[0] for r in con.execute("SELECT name FROM schema_migrations").fetchall()]
    assert "a" not in tables and "b" not in tables
    assert applied == [m.name for m in migrations()]


def test_a_writer_that_keeps_losing_gives_up_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Another process holds the catalog's write lock: the transaction is retried, then gives
    up naming what it was doing; nothing of it lands."""
    warehouse = Warehouse.local(tmp_path)
    warehouse.init()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "db.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(60)",
         str(tmp_path / "lake.sqlite")], stdout=subprocess.PIPE, text=True)
    impatient = Warehouse(warehouse.catalog, warehouse.data_path, retry_for=1.0)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match=r"^record feedback: other writers kept"):
            impatient.transaction(
                lambda con: con.execute(
                    "INSERT INTO feedback VALUES ('a@example.com', 'k', 'good', 'cli', now())"),
                "record feedback")
        retries = [r for r in caplog.records if "another writer committed first" in r.message]
        assert len(retries) >= 2 and "record feedback" in retries[0].message
    finally:
        holder.kill()
        holder.wait()
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM feedback").fetchone() == (0,)
    impatient.transaction(
        lambda con: con.execute(
            "INSERT INTO feedback VALUES ('a@example.com', 'k', 'good', 'cli', now())"),
        "record feedback")
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM feedback").fetchone() == (1,)


def test_time_travel_reads_the_warehouse_as_it_was(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path)
    warehouse.init()
    warehouse.transaction(lambda con: con.execute(
        "INSERT INTO feedback VALUES ('a@example.com', 'k1', 'good', 'cli', now())"), "one")
    time.sleep(0.05)
    between = datetime.now(UTC)
    time.sleep(0.05)
    warehouse.transaction(lambda con: con.execute(
        "INSERT INTO feedback VALUES ('a@example.com', 'k2', 'bad', 'cli', now())"), "two")
    with warehouse.reader(at=between) as con:
        then = con.execute("SELECT job_key FROM feedback").fetchall()
    with warehouse.reader() as con:
        now = con.execute("SELECT job_key FROM feedback ORDER BY 1").fetchall()
    assert then == [("k1",)] and now == [("k1",), ("k2",)]


def test_session_is_utc_and_offline() -> None:
    con = session()
    assert con.execute("SELECT current_setting('TimeZone')").fetchone() == ("UTC",)


def _legacy_warehouse(path: Path) -> None:
    """A warehouse.duckdb as the releases before the lake left it (migrations 001-008)."""
    con = duckdb.connect(str(path))
    for migration in sorted(LEGACY_MIGRATIONS.glob("*.sql")):
        con.execute(migration.read_text("utf-8"))
    con.execute(
        "INSERT INTO subscribers (email, name, title, departments, locations, remote_ok, "
        "exclude, max_items, subscribed_at, updated_at) VALUES ('a@example.com', 'A', "
        "'Associate Producer', ['x'], [], true, [], NULL, now(), now())")
    con.execute(
        "INSERT INTO postings (source, source_id, job_key, url, title, description, scraped_at, "
        "first_seen, last_seen, changed_at, content_hash, landing_file) VALUES "
        "('s', '1', 'k', 'https://x.example/1', 'Logger', 'Logs.', now(), now(), now(), now(), "
        "'h', 'f')")
    con.execute(
        "INSERT INTO raw_postings VALUES ('f', 1, 's', '1', 'h', '{\"title\": \"Logger\"}', now())")
    con.execute("INSERT INTO feedback VALUES ('a@example.com', 'k', 'good', 'cli', now())")
    con.close()


def test_init_imports_a_single_file_warehouse_once_and_keeps_it(settings, capsys) -> None:
    from stepback.cli import main

    settings.data_dir.mkdir(parents=True)
    legacy = settings.data_dir / "warehouse.duckdb"
    _legacy_warehouse(legacy)
    before = legacy.read_bytes()
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    assert "imported" in out and "each count checked" in out
    warehouse = Warehouse(settings.catalog, settings.data_path)
    with warehouse.reader() as con:
        assert con.execute("SELECT email, nothing_today FROM subscribers").fetchall() == [
            ("a@example.com", False)]
        assert con.execute("SELECT title FROM jobs").fetchall() == [("Logger",)]
        assert con.execute("SELECT raw_line FROM raw_postings").fetchall() == [
            ('{"title": "Logger"}',)]
        assert con.execute("SELECT label FROM feedback").fetchall() == [("good",)]
    assert legacy.read_bytes() == before, "the old file is kept as it was"
    note = json.loads(legacy_import.note_path(legacy).read_text("utf-8"))
    assert note["rows"]["postings"] == 1 and note["rows"]["subscribers"] == 1
    assert main(["init"]) == 0
    assert "imported" not in capsys.readouterr().out
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM postings").fetchone() == (1,)


def test_an_import_that_does_not_add_up_lands_nothing(tmp_path: Path, monkeypatch) -> None:
    legacy = tmp_path / "warehouse.duckdb"
    _legacy_warehouse(legacy)
    warehouse = Warehouse.local(tmp_path / "lake")
    warehouse.init()
    real_export = legacy_import.export_tables

    def overcounted(path: Path, folder: Path) -> dict[str, int]:
        counts = real_export(path, folder)
        counts["postings"] += 1
        return counts

    monkeypatch.setattr(legacy_import, "export_tables", overcounted)
    with pytest.raises(legacy_import.LegacyImportError, match="postings: 2 rows in the old"):
        legacy_import.import_legacy(warehouse, legacy)
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM subscribers").fetchone() == (0,)
    assert not legacy_import.note_path(legacy).exists()


def test_a_warehouse_written_by_duckdb_2_is_exported_by_duckdb_2(tmp_path: Path) -> None:
    """Releases before the lake pinned duckdb 2.0, whose files this duckdb cannot open: the
    import reads them with duckdb 2.0 in a throw-away environment."""
    legacy = tmp_path / "warehouse.duckdb"
    command = legacy_import.uv_command()
    script = ("import duckdb, sys\ncon = duckdb.connect(sys.argv[1])\n"
              "con.execute('CREATE TABLE feedback (subscriber_email VARCHAR, job_key VARCHAR, "
              "label VARCHAR, via VARCHAR, recorded_at TIMESTAMPTZ, PRIMARY KEY "
              "(subscriber_email, job_key))')\n"
              "con.execute(\"INSERT INTO feedback VALUES ('a@example.com', 'k', 'bad', 'email', "
              "now())\")\ncon.close()")
    subprocess.run([*command, "run", "--no-project", "--isolated", "--with",
                    legacy_import.NEWER_DUCKDB, "python", "-c", script, str(legacy)],
                   check=True, capture_output=True, timeout=900)
    with pytest.raises(duckdb.IOException, match="newer version"):
        duckdb.connect(str(legacy), read_only=True)
    warehouse = Warehouse.local(tmp_path / "lake")
    warehouse.init()
    assert legacy_import.import_legacy(warehouse, legacy) == {"feedback": 1}
    with warehouse.reader() as con:
        assert con.execute("SELECT label, via FROM feedback").fetchall() == [("bad", "email")]


def test_attach_prints_what_a_plain_duckdb_session_needs(
    settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from stepback.cli import main

    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["attach"]) == 0
    script = capsys.readouterr().out
    plain = duckdb.connect(config={"autoinstall_known_extensions": "false",
                                   "autoload_known_extensions": "false"})
    for statement in filter(str.strip, script.split(";\n")):
        plain.execute(statement)
    assert plain.execute("SELECT count(*) FROM postings").fetchone() == (0,)
    with pytest.raises(duckdb.Error, match="(?i)read.only"):
        plain.execute("DELETE FROM postings")


def test_small_writes_stay_inline_in_the_catalog(tmp_path: Path) -> None:
    """A click or one digest's record is a row in the catalog, not a Parquet file of its own
    (`stepback maintain` flushes them into files later)."""
    from stepback.feedback import record_feedback_in

    warehouse = Warehouse.local(tmp_path)
    warehouse.init()
    warehouse.transaction(lambda con: (
        con.execute("INSERT INTO subscribers (email, name, title, departments, locations, "
                    "remote_ok, exclude, subscribed_at, updated_at) VALUES ('a@example.com', "
                    "'A', 'Associate Producer', [], [], true, [], now(), now())"),
        con.execute("INSERT INTO postings (source, source_id, job_key, url, title, description, "
                    "scraped_at, first_seen, last_seen, changed_at, content_hash, landing_file) "
                    "VALUES ('s', '1', 'j', 'https://x.example/1', 'PA', 'Runs.', now(), now(), "
                    "now(), now(), 'h', 'f')")), "seed")
    for label in ("good", "bad", "good"):
        record_feedback_in(warehouse, "a@example.com", "j", label, "email")
    warehouse.transaction(lambda con: con.execute(
        "INSERT INTO digest_runs VALUES ('a@example.com', current_date, 1, 'claimed', NULL, "
        "'<m@x>', now())"), "claim", guard="digest")
    warehouse.transaction(lambda con: con.execute(
        "UPDATE digest_runs SET status = 'sent' WHERE message_id = '<m@x>'"), "mark",
        guard="digest")
    assert list((tmp_path / "lake").rglob("*.parquet")) == []
    with warehouse.reader() as con:
        assert con.execute("SELECT label FROM feedback").fetchall() == [("good",)]
        assert con.execute("SELECT status FROM digest_runs").fetchall() == [("sent",)]


def test_processes_that_start_on_a_new_lake_at_once_make_it_once(tmp_path: Path) -> None:
    script = ("import sys\nfrom pathlib import Path\nfrom stepback.warehouse import Warehouse\n"
              "print(Warehouse.local(Path(sys.argv[1])).init())")
    processes = [subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "lake")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                  cwd=Path(__file__).resolve().parents[2]) for _ in range(4)]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err[-2000:]
    applied = sorted(out.strip() for out, _ in outputs)
    every = [migration.name for migration in migrations()]
    assert applied == [str(every), "[]", "[]", "[]"], applied
    warehouse = Warehouse.local(tmp_path / "lake")
    with warehouse.reader() as con:
        assert con.execute("SELECT count(*) FROM schema_migrations").fetchone() == (len(every),)
        guards = con.execute("SELECT name, count(*) FROM write_guards GROUP BY name").fetchall()
    assert sorted(guards) == sorted((name, 1) for name in
                                    ("load", "scores", "subscribers", "feedback", "digest"))
    assert not list((tmp_path / "lake").glob(".lake.sqlite.*")), "no half-made catalog is left"
