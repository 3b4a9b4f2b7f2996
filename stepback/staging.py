"""Landing files into typed staging rows, in DuckDB: one JSON parse per line, types checked.

Every non-blank line of a landing file becomes a `staged_lines` row (file, line number, raw
text). Lines that are JSON objects become `staged` rows with each posting field coerced to its
warehouse type and, per line, the list of type errors ("remote: expected true/false, got str",
"posted_at: not a date"). Lines that are not JSON objects are returned to Python, which names
what is wrong with them. The staging tables are TEMP (stepback.scratch): they never reach the
warehouse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from stepback.postings import BOOL_FIELDS, FIELDS, NUMBER_FIELDS
from stepback.scratch import Scratch

TIMESTAMP_FIELDS = ["posted_at", "valid_through", "scraped_at"]
JSON_TYPE_NAMES = {
    "VARCHAR": "str", "BIGINT": "int", "UBIGINT": "int", "DOUBLE": "float", "BOOLEAN": "bool",
    "ARRAY": "list", "OBJECT": "dict",
}
NUMBER_TYPES = ("'BIGINT'", "'UBIGINT'", "'DOUBLE'")
TEXT_TYPES = ("'VARCHAR'", *NUMBER_TYPES)
# The posting's URL as browsers read it (`install_url_function`).
URL_FUNCTION = "sb_browser_url"
ROW_ID = "file_no::BIGINT * 100000000 + line_number"
# What a posting says, as a fingerprint: it changes only when the content does (not the time it
# was scraped). Typed values, so a warehouse row and a staged line hash alike.
CONTENT_HASH_MACRO = """
CREATE OR REPLACE TEMP MACRO sb_content_hash(
    url, title, company, production, location, remote, employment_type, is_union, description,
    pay_min, pay_max, pay_currency, pay_unit, posted_at, valid_through
) AS md5(to_json([
    url, title, company, production, location, remote::VARCHAR, employment_type,
    is_union::VARCHAR, description, pay_min::VARCHAR, pay_max::VARCHAR, pay_currency, pay_unit,
    epoch_us(posted_at)::VARCHAR, epoch_us(valid_through)::VARCHAR
]))
"""
# The content hash's arguments, in `sb_content_hash`'s order (see stepback.loading).
CONTENT_HASH_ARGUMENTS = (
    'url, title, company, production, location, remote, employment_type, "union", description, '
    "pay_min, pay_max, pay_currency, pay_unit, posted_at_time, valid_through_time"
)


@dataclass(frozen=True)
class BadLine:
    file_no: int
    line_number: int
    raw_line: str
    reason: str


def _allowed(name: str) -> tuple[tuple[str, ...], str]:
    if name in BOOL_FIELDS:
        return ("'BOOLEAN'",), "true/false"
    if name in NUMBER_FIELDS:
        return NUMBER_TYPES, "a number"
    return TEXT_TYPES, "text"


def _field(index: int, name: str) -> tuple[str, str]:
    """The coerced value of one field and its type-error expression (NULL when fine)."""
    allowed, expected = _allowed(name)
    ok = f"t[{index}] IN ({', '.join(allowed)})"
    value = f"j[{index}] ->> '$'"
    if name in BOOL_FIELDS:
        value = f"j[{index}]::VARCHAR = 'true'"
    elif name in NUMBER_FIELDS:
        value = f"TRY_CAST(j[{index}]::VARCHAR AS DOUBLE)"
    elif name == "url":
        value = f"{URL_FUNCTION}(j[{index}] ->> '$')"
    cases = " ".join(f"WHEN '{t}' THEN '{p}'" for t, p in JSON_TYPE_NAMES.items())
    error = (
        f"CASE WHEN t[{index}] IS NOT NULL AND t[{index}] <> 'NULL' AND NOT ({ok}) "
        f"THEN '{name}: expected {expected}, got ' || (CASE t[{index}] {cases} "
        f"ELSE lower(t[{index}]) END) END"
    )
    if name in NUMBER_FIELDS:
        # JSON has no NaN or Infinity, and 1e400 overflows: one such value would make every
        # sum and average over the column NaN or infinite.
        error = (f"CASE WHEN {ok} AND NOT isfinite({value}) THEN '{name}: ' || "
                 f"(j[{index}]::VARCHAR) || ' is not a finite number' ELSE {error} END")
    return f"CASE WHEN {ok} THEN {value} END AS \"{name}\"", error


def _staged_sql() -> str:
    paths = "[" + ", ".join(f"'$.\"{name}\"'" for name in FIELDS) + "]"
    fields = [_field(i, name) for i, name in enumerate(FIELDS, start=1)]
    values = ",\n        ".join(value for value, _ in fields)
    errors = ", ".join(error for _, error in fields)
    times = ",\n        ".join(
        f'TRY_CAST("{name}" AS TIMESTAMPTZ) AS {name}_time' for name in TIMESTAMP_FIELDS
    )
    date_errors = ", ".join(
        f"CASE WHEN \"{name}\" IS NOT NULL AND {name}_time IS NULL "
        f"AND regexp_full_match(\"{name}\", '\\d{{4}}-\\d{{2}}-\\d{{2}}.*') "
        f"THEN '{name}: not a date' END"
        for name in TIMESTAMP_FIELDS
    )
    return f"""
WITH parsed AS (
    SELECT
        file_no,
        line_number,
        raw_line,
        CASE WHEN looks_like_object THEN try(json_extract(raw_line, {paths})) END AS j
    FROM staged_lines
),

objects AS (
    SELECT *, list_transform(j, lambda x: json_type(x)) AS t
    FROM parsed
),

typed AS (
    SELECT
        file_no,
        line_number,
        raw_line,
        j IS NOT NULL AS is_object,
        {values},
        list_filter([{errors}], lambda e: e IS NOT NULL) AS type_errors
    FROM objects
),

timed AS (
    SELECT *, {times}
    FROM typed
)

SELECT
    {ROW_ID} AS row_id,
    * EXCLUDE (type_errors),
    list_concat(type_errors, list_filter([{date_errors}], lambda e: e IS NOT NULL))
        AS type_errors,
    sb_content_hash({CONTENT_HASH_ARGUMENTS}) AS content_hash
FROM timed
"""


STAGED = _staged_sql()

NOT_OBJECTS = """
SELECT file_no, line_number, raw_line
FROM staged
WHERE NOT is_object
ORDER BY file_no, line_number
"""

# What Great Expectations sees: every field the suite checks, a description cut to its first
# character (the suite only asks that it is not empty; the whole text would double the batch).
SUITE_FRAME = """
SELECT
    row_id AS line_no,
    source, source_id, url, title, left(description, 1) AS description, employment_type,
    pay_min, pay_max, pay_currency, pay_unit,
    posted_at, valid_through, scraped_at, posted_at_time, scraped_at_time
FROM staged
WHERE is_object
"""


def create_tables(scratch: Scratch) -> None:
    scratch.empty("staged_lines", "file_no INTEGER, line_number INTEGER, raw_line VARCHAR, "
                                  "looks_like_object BOOLEAN")


def install_url_function(con: duckdb.DuckDBPyConnection) -> None:
    """`sb_browser_url(text)`: a posting's URL as browsers read it (`stepback.urls`), or the
    text as given when it is not a web URL, for the suite to quarantine with its reason."""
    from duckdb.sqltypes import VARCHAR

    from stepback.urls import normalised_or_given

    def browser_urls(urls: pa.Array) -> pa.Array:
        return pa.array([normalised_or_given(url) for url in urls.to_pylist()], pa.string())

    con.create_function(URL_FUNCTION, browser_urls, [VARCHAR], VARCHAR, type="arrow")


# A posting is a few kilobytes; a line past this is not one, and parsing it would take the
# loader's memory (one 50 MB line ran DuckDB out of memory). Its first OVERSIZED_KEPT bytes are
# staged and quarantined; the whole line stays in its landing file.
MAX_LINE_BYTES = 1 << 20
OVERSIZED_KEPT = 64 << 10


def decode_lines(data: bytes) -> tuple[str, dict[int, tuple[bytes, str]]]:
    """A file's text, and its lines that cannot be staged as they are (line number -> bytes,
    reason): lines that are not valid UTF-8 (staged with U+FFFD in place of the bad bytes) and
    lines longer than MAX_LINE_BYTES (cut to their first OVERSIZED_KEPT bytes). Both are
    quarantined with their own bytes. A UTF-8 byte order mark at the start is dropped (valid
    input)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    data, broken = _cut_oversized(data)
    try:
        return data.decode("utf-8"), broken
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(data.split(b"\n"), start=1):
        if number in broken:
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            broken[number] = (line.removesuffix(b"\r"),
                              f"invalid UTF-8: byte 0x{line[exc.start]:02x} at column "
                              f"{exc.start + 1}")
    return data.decode("utf-8", errors="replace"), broken


def _cut_oversized(data: bytes) -> tuple[bytes, dict[int, tuple[bytes, str]]]:
    if len(data) <= MAX_LINE_BYTES:
        return data, {}
    import numpy as np

    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(data)]))
    long = np.flatnonzero(stops - starts > MAX_LINE_BYTES)
    if not len(long):
        return data, {}
    broken: dict[int, tuple[bytes, str]] = {}
    parts, at = [], 0
    for index in long.tolist():
        start, stop = int(starts[index]), int(stops[index])
        kept = data[start:start + OVERSIZED_KEPT]
        parts += [data[at:start], kept]
        at = stop
        broken[index + 1] = (kept, f"line is {stop - start:,} bytes, more than "
                                   f"{MAX_LINE_BYTES:,}; its first {OVERSIZED_KEPT:,} are kept")
    parts.append(data[at:])
    return b"".join(parts), broken


def stage_text(con: duckdb.DuckDBPyConnection, file_no: int, text: str) -> int:
    """Add a file's non-blank lines (numbered from 1, as an editor shows them); return how many.

    Lines split on newlines only (JSON Lines), and the split is Python's: one C call, where
    splitting a large string parameter in SQL copies it line by line.
    """
    numbers, lines, objects = [], [], []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        stripped = line.lstrip()
        if stripped:
            numbers.append(number)
            lines.append(line)
            objects.append(stripped.startswith("{"))
    if not lines:
        return 0
    table = pa.table({
        "file_no": pa.array([file_no] * len(lines), pa.int32()),
        "line_number": pa.array(numbers, pa.int32()), "raw_line": pa.array(lines, pa.string()),
        "looks_like_object": pa.array(objects, pa.bool_()),
    })
    con.register("staged_text", table)
    con.execute("INSERT INTO staged_lines SELECT * FROM staged_text")
    con.unregister("staged_text")
    return len(lines)


def parse_staged(scratch: Scratch) -> list[BadLine]:
    """Type every JSON-object line into `staged`; return the lines that are not JSON objects."""
    scratch.make("staged", STAGED)
    return [
        BadLine(file_no, number, raw, why_not_an_object(raw))
        for file_no, number, raw in scratch.con.execute(NOT_OBJECTS).fetchall()
    ]


def why_not_an_object(line: str) -> str:
    try:
        json.loads(line)
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} at column {exc.colno}"
    if line.lstrip().startswith("{"):
        return "invalid JSON: NaN, Infinity or another value JSON does not allow"
    return "line is not a JSON object"
