"""The loader's TEMP tables: declared in one place, dropped with the scope that made them."""

from __future__ import annotations

import pytest

from stepback.scratch import Scratch
from stepback.warehouse import session


def temp_tables(scratch: Scratch) -> set[str]:
    return {row[0] for row in scratch.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()}


def test_a_scope_drops_what_it_made_and_keeps_what_came_before() -> None:
    scratch = Scratch(session())
    scratch.make("chunk_files", "SELECT 1 AS file_no")
    with scratch.scope():
        scratch.make("batch", "SELECT 2 AS x")
        scratch.make("chunk_files", "SELECT 3 AS file_no")
        scratch.view("passed", "SELECT * FROM batch")
        assert temp_tables(scratch) == {"chunk_files", "batch", "passed"}
    assert temp_tables(scratch) == {"chunk_files"}


def test_an_undeclared_table_is_refused() -> None:
    scratch = Scratch(session())
    with pytest.raises(KeyError, match="not declared in stepback.scratch.TABLES"):
        scratch.make("my_table", "SELECT 1")


def test_a_scope_that_fails_inside_a_transaction_leaves_the_tables_to_the_rollback() -> None:
    scratch = Scratch(session())
    scratch.con.execute("BEGIN TRANSACTION")
    with pytest.raises(RuntimeError), scratch.scope():
        scratch.make("batch", "SELECT 1 AS x")
        raise RuntimeError("a stage failed")
    scratch.con.execute("ROLLBACK")
    assert temp_tables(scratch) == set()
    with scratch.scope():
        scratch.make("batch", "SELECT 1 AS x")
    assert temp_tables(scratch) == set()
