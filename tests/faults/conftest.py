"""The fault suite's summary: one row per test, `fault, expected, observed` (`make faults`).

The fault numbers come from each module's docstring ("Fault 4: …" or "Faults 1, 4 …"); the
expected behaviour is the test's name; observed is "as expected" or the failure's first line.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pytest

FAULT_NUMBERS = re.compile(r"Faults? ([\d, and]+)")


@dataclass
class Row:
    fault: str
    expected: str
    observed: str


ROWS: dict[str, Row] = {}


def _fault(item: pytest.Item) -> str:
    doc = (item.module.__doc__ or "") if item.module else ""
    match = FAULT_NUMBERS.search(doc)
    numbers = re.findall(r"\d+", match.group(1)) if match else []
    return ", ".join(numbers) or "?"


def _expected(item: pytest.Item) -> str:
    name = item.name.split("[", 1)[0].removeprefix("test_").replace("_", " ")
    case = item.name[len(item.name.split("[", 1)[0]):]
    return f"{name} {case[:40]}".strip()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        observed = "as expected" if report.passed else (
            str(call.excinfo.value).strip().splitlines() or [call.excinfo.typename]
        )[0][:90] if call.excinfo else report.outcome
        ROWS[item.nodeid] = Row(_fault(item), _expected(item), observed)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not ROWS:
        return
    rows = sorted(ROWS.values(), key=lambda r: [int(n) for n in re.findall(r"\d+", r.fault)])
    width = max(len(r.expected) for r in rows)
    write = terminalreporter.write_line
    write("")
    write(f"{'fault':<10} {'expected':<{width}} observed")
    for row in rows:
        write(f"{row.fault:<10} {row.expected:<{width}} {row.observed}")
    failed = sum(1 for r in rows if r.observed != "as expected")
    write(f"{len(rows)} checks, {failed} not as expected")
    sys.stdout.flush()
