"""`make bench`: throughput of the parsers and of a demo-board crawl, each beside a baseline.

Every benchmark prints one line on stdout, exactly
`BENCH name=<name> value=<number> unit=<unit> baseline=<number> ratio=<value/baseline>`,
with the baseline measured in the same run on the same input; progress goes to stderr.
"""
