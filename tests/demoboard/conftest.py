from collections.abc import Iterator
from typing import Any

import pytest

from stepback.demoboard import DemoBoard, load_postings, serve


@pytest.fixture(scope="session")
def board() -> Iterator[DemoBoard]:
    with serve() as running:
        yield running


@pytest.fixture(scope="session")
def postings() -> list[dict[str, Any]]:
    return load_postings()


@pytest.fixture(scope="session")
def by_id(postings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["id"]: p for p in postings}
