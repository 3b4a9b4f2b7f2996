"""Fault 6: files outside `<source>/<run>.jsonl` are not read, but never ignored without a word:
the load warns, naming them, and counts them in its summary."""

from __future__ import annotations

import logging

import pytest

from stepback.config import Settings
from stepback.pipeline import load_step
from tests.conftest import posting, write_landing


def test_misplaced_files_are_named_and_counted(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    landing = settings.landing_dir
    write_landing(landing / "jsonld_test", "run1.jsonl", [posting(source_id="1")])
    (landing / "jsonld_test" / "run1.stats.json").write_text("{}", "utf-8")
    (landing / "jsonld_test" / "run1.log").write_text("", "utf-8")
    (landing / "jsonld_test" / "known.json").write_text("{}", "utf-8")
    (landing / "jsonld_test" / ".run2.jsonl.x1y2").write_text("", "utf-8")  # a download
    write_landing(landing / "jsonld_test" / "nested", "run2.jsonl", [posting(source_id="2")])
    write_landing(landing / "jsonld_test", "run3.JSONL", [posting(source_id="3")])
    write_landing(landing, "root.jsonl", [posting(source_id="4")])

    with caplog.at_level(logging.WARNING, logger="stepback.loading"):
        summary = load_step(settings)

    assert (summary["files_loaded"], summary["inserted"], summary["files_ignored"]) == (1, 1, 3)
    [warning] = [r.getMessage() for r in caplog.records if "ignored" in r.getMessage()]
    assert warning == ("landing: ignored 3 files that are not <source>/<run>.jsonl: "
                       "jsonld_test/nested/run2.jsonl, jsonld_test/run3.JSONL, root.jsonl")
