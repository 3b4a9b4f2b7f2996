"""The TEMP tables a load's stages hand each other: declared here, made and dropped through one
object, so no stage creates or drops another stage's tables by an agreed name.

TEMP tables live in the loader's own DuckDB session, never in the lake. Each chunk's tables are
made inside a `scope` and dropped when it ends; a scope that ends in an error leaves them to the
transaction's rollback (or to the next chunk, which replaces them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

# Every shared TEMP table and view, with what it holds and the stage that makes it.
TABLES: dict[str, str] = {
    # staging (stepback.staging, stepback.loading.stage)
    "staged_lines": "the chunk's non-blank lines, numbered as an editor shows them",
    "staged": "each line parsed once and typed, with its type errors and content hash",
    "staged_rejects": "lines a check rejected, with every reason",
    "passed": "(view) the staged lines that passed every check",
    # one chunk's write (stepback.loading)
    "chunk_files": "the chunk's files, in load order",
    "file_postings": "each file's last line per posting, with the chunk's previous hash",
    "file_counts": "new, changed and unchanged postings per file",
    "batch": "the chunk's last word on each posting",
    "missing": "open postings missing from complete crawls, with the file that closes them",
    "expired": "open postings past their valid_through",
    # grouping (stepback.grouping)
    "batch_sentences": "each sentence (by hash) of the postings being keyed",
    "batch_keys": "the grouping keys of the postings being keyed",
    "grouping_active": "the postings to (re)group: new, changed, or in a group that changed",
    "grouping_candidates": "pairs of postings that may be one job",
    "grouping_shingles": "the word 3-grams of every description a candidate pair compares",
}


class Scratch:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._made: list[str] = []

    def make(self, name: str, select: str, params: Any = None) -> None:
        """CREATE OR REPLACE TEMP TABLE `name` AS `select`."""
        self._track(name)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {select}", params)

    def empty(self, name: str, columns: str) -> None:
        self._track(name)
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")

    def view(self, name: str, select: str) -> None:
        self._track(name)
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {select}")

    def drop(self, *names: str) -> None:
        for name in names:
            kind = "VIEW" if TABLES[name].startswith("(view)") else "TABLE"
            self.con.execute(f"DROP {kind} IF EXISTS temp.{name}")
            if name in self._made:
                self._made.remove(name)

    @contextmanager
    def scope(self) -> Iterator[Scratch]:
        """Tables made inside are dropped when it ends without an error."""
        before = list(self._made)
        try:
            yield self
        except BaseException:
            self._made = [name for name in self._made if name in before]
            raise
        self.drop(*[name for name in reversed(self._made) if name not in before])

    def _track(self, name: str) -> None:
        if name not in TABLES:
            raise KeyError(f"TEMP table {name!r} is not declared in stepback.scratch.TABLES")
        if name not in self._made:
            self._made.append(name)
