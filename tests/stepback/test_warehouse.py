import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from stepback.warehouse import Warehouse, WarehouseBusy, apply_migrations, migrations


def test_init_applies_migrations_once(tmp_path: Path) -> None:
    warehouse = Warehouse.local(tmp_path / "w")
    first = warehouse.init()
    assert first == [m.name for m in migrations()]
    assert warehouse.init() == []
    with warehouse.reader() as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations").fetchall()]
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    assert versions == [m.version for m in migrations()]
    assert {"jobs", "opportunities"} <= views


def test_second_writer_gets_a_clear_message(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "w.duckdb", lock_timeout=0.5)
    warehouse.init()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from stepback.warehouse import Warehouse\n"
         f"w = Warehouse(Path({str(warehouse.path)!r}))\n"
         "with w.writer():\n    print('held', flush=True); time.sleep(20)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(WarehouseBusy, match=rf"locked by another writer \(pid {holder.pid}"):
            with warehouse.writer():
                pass
        with pytest.raises(WarehouseBusy, match="is busy"):
            with warehouse.reader(wait=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with warehouse.writer() as con:
        assert con.execute("SELECT count(*) FROM postings").fetchone() == (0,)


def test_reader_without_warehouse_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="stepback init"):
        with Warehouse.local(tmp_path / "missing").reader():
            pass


def test_migration_rolls_back_on_error(tmp_path: Path) -> None:
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "001_ok.sql").write_text("CREATE TABLE a (x INTEGER);", "utf-8")
    (tmp_path / "migrations" / "002_bad.sql").write_text(
        "CREATE TABLE b (x INTEGER); SELEC oops;", "utf-8"
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    with pytest.raises(duckdb.ParserException):
        apply_migrations(con, tmp_path)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    applied = con.execute("SELECT name FROM schema_migrations").fetchall()
    assert "a" in tables and "b" not in tables
    assert applied == [("001_ok",)]


def test_upgrading_a_warehouse_from_the_previous_migrations_keeps_its_data(
    tmp_path: Path,
) -> None:
    import shutil

    from stepback.warehouse import SQL_DIR

    all_migrations = migrations()
    previous = tmp_path / "previous"
    (previous / "migrations").mkdir(parents=True)
    for migration in all_migrations[:-1]:
        shutil.copy(SQL_DIR / "migrations" / f"{migration.name}.sql", previous / "migrations")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_migrations(con, previous)
    con.execute(
        "INSERT INTO subscribers (email, name, title, departments, locations, remote_ok, "
        "exclude, max_items, subscribed_at, updated_at) VALUES ('a@example.com', 'A', "
        "'Associate Producer', ['x'], [], true, [], NULL, now(), now())"
    )
    con.execute(
        "INSERT INTO postings (source, source_id, job_key, url, title, description, scraped_at, "
        "first_seen, last_seen, changed_at, content_hash, landing_file) VALUES "
        "('s', '1', 'k', 'https://x.example/1', 'Logger', 'Logs.', now(), now(), now(), now(), "
        "'h', 'f')"
    )
    con.execute(
        "INSERT INTO raw_postings VALUES ('f', 1, 's', '1', 'h', '{\"title\": \"Logger\"}', now())"
    )
    assert apply_migrations(con) == [all_migrations[-1].name]
    assert con.execute("SELECT count(*) FROM subscribers").fetchone() == (1,)
    assert con.execute("SELECT title FROM postings").fetchall() == [("Logger",)]
    assert con.execute("SELECT count(*) FROM jobs").fetchone() == (1,)
    assert con.execute("SELECT source_id, raw_line FROM raw_postings").fetchall() == [
        ("1", '{"title": "Logger"}')
    ]
    versions = con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert [v for (v,) in versions] == [m.version for m in all_migrations]
