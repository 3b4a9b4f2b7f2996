"""Grouping postings into jobs, measured on labelled duplicate and near-miss pairs."""

from __future__ import annotations

import json

import pytest

from stepback.grouping import block_key, group_rows, normal_company, normal_title
from tests.conftest import REPO

PAIRS = [
    json.loads(line)
    for line in (REPO / "tests/fixtures/grouping/pairs.jsonl").read_text("utf-8").splitlines()
]


def grouped_together(a: dict, b: dict) -> bool:
    if block_key(a["company"], a["title"], a["production"]) != block_key(
        b["company"], b["title"], b["production"]
    ):
        return False
    keys = group_rows([a, b])
    return keys[(a["source"], a["source_id"])] == keys[(b["source"], b["source_id"])]


def test_precision_and_recall_on_labelled_pairs() -> None:
    predicted = [(grouped_together(p["a"], p["b"]), p["same"], p["note"]) for p in PAIRS]
    true_pos = sum(1 for got, want, _ in predicted if got and want)
    precision = true_pos / max(1, sum(1 for got, _, _ in predicted if got))
    recall = true_pos / sum(1 for _, want, _ in predicted if want)
    wrong = [note for got, want, note in predicted if got != want]
    print(f"grouping precision {precision:.2f} recall {recall:.2f}; wrong: {wrong}")
    assert len(PAIRS) >= 20
    assert precision == 1.0, wrong
    assert recall >= 0.9, wrong


@pytest.mark.parametrize(
    ("a", "b"),
    [("PA – 99th Oscars", "Production Assistant, 99th Oscars"),
     ("Sr. Producer", "Senior Producer"), ("APOC", "Assistant Production Office Coordinator"),
     ("Writers' PA", "Writers PA")],
)
def test_title_variants_normalise_alike(a: str, b: str) -> None:
    assert normal_title(a) == normal_title(b)


def test_company_suffixes_fold_but_names_stay_apart() -> None:
    assert normal_company("Dick Clark Productions, LLC") == normal_company("dick clark")
    assert normal_company("A24 Films") == normal_company("A24")
    assert normal_company("NBC") != normal_company("CBS")


def test_grouping_is_stable_whatever_the_order() -> None:
    pair = PAIRS[0]
    assert group_rows([pair["a"], pair["b"]]) == group_rows([pair["b"], pair["a"]])


def test_a_title_naming_its_production_blocks_with_the_plain_title() -> None:
    assert block_key("ABC", "PA – 99th Oscars", "99th Oscars") == block_key(
        "ABC", "Production Assistant", "99th Oscars")
    assert block_key("ABC", "PA – 99th Oscars", None) != block_key("ABC", "PA", None)
