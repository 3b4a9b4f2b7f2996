"""Fault 15: the data directory holds subscribers' names and emails, digests and the link
secret. Whatever the caller's umask, stepback creates its directories 0700 and its files 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from stepback.config import Settings
from tests.conftest import REPO, posting, write_landing


def run(settings: Settings, *argv: str) -> None:
    stepback = str(Path(sys.executable).with_name("stepback"))
    env = os.environ | {"STEPBACK_CONFIG": str(settings.config_path),
                        "STEPBACK_DATA_DIR": str(settings.data_dir)}
    done = subprocess.run([stepback, *argv], env=env, capture_output=True, text=True,
                          preexec_fn=lambda: os.umask(0o022), timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_data_files_are_the_owners_alone_whatever_the_umask(settings: Settings) -> None:
    run(settings, "init")
    run(settings, "subscribe", str(REPO / "profiles" / "andrea.toml"))
    write_landing(settings.landing_dir / "jsonld_test", "run1.jsonl", [posting()])
    run(settings, "load")
    run(settings, "classify")
    run(settings, "digest", "--date", "2026-11-26")

    made = [settings.data_dir, *settings.data_dir.rglob("*")]
    assert any(p.suffix == ".parquet" or p.name == "lake.sqlite" for p in made)
    assert any(p.parent == settings.outbox_dir for p in made), "a digest was written"
    loose = [f"{p.relative_to(settings.data_dir.parent)} {stat.filemode(p.stat().st_mode)}"
             for p in made if p.stat().st_mode & 0o077
             and not p.is_relative_to(settings.landing_dir)]
    assert loose == []
    assert stat.S_IMODE(settings.data_dir.stat().st_mode) == 0o700
