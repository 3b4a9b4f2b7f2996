"""The posting batch's Great Expectations suite, kept as code in one place.

Great Expectations takes seconds to import, so it is imported inside `failed_expectations`,
never at module import (which DAG files do at parse time).
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from typing import Any

import pandas as pd

ROW_ID = "line_no"
EMPLOYMENT_TYPES = [
    "full_time", "part_time", "contract", "temporary", "freelance", "internship", "per_diem",
    "other",
]
PAY_UNITS = ["hour", "day", "week", "month", "year"]
CURRENCIES = ["USD", "CAD", "GBP", "EUR", "AUD", "NZD", "MXN"]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
REQUIRED = ["source", "source_id", "url", "title", "description", "scraped_at"]
# Required text that must hold something besides white space.
NOT_BLANK = ["source", "source_id", "title", "description"]
# No posting pays more than this per unit; beyond it a value is a parse error (1e308).
MAX_PAY = 10_000_000
NOT_IN_FUTURE = ("posted_at", "scraped_at")
TIME = "_time"
LATEST = "latest_allowed"
# A posting dated up to a day ahead is a time zone, not an error.
FUTURE_TOLERANCE = pd.Timedelta(days=1)


def expectations() -> list[Any]:
    """The suite: what every posting must satisfy to enter the warehouse."""
    import great_expectations as gx

    e = gx.expectations
    suite: list[Any] = [e.ExpectColumnValuesToNotBeNull(column=c) for c in REQUIRED]
    suite += [
        e.ExpectColumnValuesToMatchRegex(column=c, regex=r"\S") for c in NOT_BLANK
    ]
    suite += [
        e.ExpectColumnValuesToMatchRegex(column="url", regex=r"^https?://[^\s/]+"),
        e.ExpectColumnValuesToNotMatchRegex(column="url", regex=r"\s"),
        e.ExpectColumnValueLengthsToBeBetween(column="title", min_value=2, max_value=200),
        e.ExpectColumnValueLengthsToBeBetween(column="description", min_value=1),
        e.ExpectColumnValueLengthsToBeBetween(column="source_id", min_value=1, max_value=200),
        e.ExpectColumnValuesToBeInSet(column="employment_type", value_set=EMPLOYMENT_TYPES),
        e.ExpectColumnValuesToBeInSet(column="pay_unit", value_set=PAY_UNITS),
        e.ExpectColumnValuesToBeInSet(column="pay_currency", value_set=CURRENCIES),
        e.ExpectColumnValuesToBeBetween(column="pay_min", min_value=0, max_value=MAX_PAY),
        e.ExpectColumnValuesToBeBetween(column="pay_max", min_value=0, max_value=MAX_PAY),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="pay_max", column_B="pay_min", or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
    ]
    suite += [
        e.ExpectColumnValuesToMatchRegex(column=c, regex=ISO_DATE)
        for c in ("posted_at", "valid_through", "scraped_at")
    ]
    suite += [
        e.ExpectColumnValuesToBeBetween(column=f"{c}{TIME}", max_value={"$PARAMETER": LATEST})
        for c in NOT_IN_FUTURE
    ]
    return suite


def describe(config: Any) -> str:
    """A short, readable name for a failed expectation: `url matches ^https?://...`."""
    kwargs = config.kwargs
    column = kwargs.get("column") or f"{kwargs.get('column_A')} >= {kwargs.get('column_B')}"
    if column.endswith(TIME):
        return f"{column.removesuffix(TIME)}: in the future"
    kind = config.type.removeprefix("expect_column_").removeprefix("expect_")
    details = [f"{k}={kwargs[k]}" for k in ("regex", "min_value", "max_value") if kwargs.get(k)]
    if "value_set" in kwargs:
        details.append("value_set=" + "|".join(map(str, kwargs["value_set"])))
    return f"{column}: {kind}" + (f" ({', '.join(details)})" if details else "")


@functools.cache
def validation_definition() -> Any:
    """The suite bound to a pandas batch, built once per process and reused for every batch."""
    gx_logger = logging.getLogger("great_expectations")
    gx_logger.setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    gx_logger.setLevel(logging.WARNING)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas(name="landing")
        .add_dataframe_asset(name="postings")
        .add_batch_definition_whole_dataframe("batch")
    )
    suite = context.suites.add(gx.ExpectationSuite(name="postings"))
    for expectation in expectations():
        suite.add_expectation(expectation)
    return context.validation_definitions.add(
        gx.ValidationDefinition(name="postings", data=batch_definition, suite=suite)
    )


def failed_expectations(batch: pd.DataFrame) -> dict[int, list[str]]:
    """Run the suite on a batch; return, per failing row id, every expectation it failed.

    The batch carries each date that must not lie in the future twice: as text (checked
    against ISO_DATE) and parsed, as `<name>_time` (stepback.staging parses it in SQL).
    """
    if batch.empty:
        return {}
    latest = pd.Timestamp.now(tz="UTC") + FUTURE_TOLERANCE
    result = validation_definition().run(
        batch_parameters={"dataframe": batch},
        expectation_parameters={LATEST: latest},
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW_ID]},
    )
    failures: dict[int, list[str]] = defaultdict(list)
    for outcome in result.results:
        if outcome.success:
            continue
        reason = describe(outcome.expectation_config)
        for index in outcome.result.get("unexpected_index_list") or []:
            row = int(index[ROW_ID])
            if reason not in failures[row]:
                failures[row].append(reason)
    return dict(failures)
