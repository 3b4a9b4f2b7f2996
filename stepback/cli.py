"""The `stepback` command. Errors are one line on stderr and a non-zero exit, never a traceback."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stepback.config import ConfigError, Settings, keep_private, load_settings

log = logging.getLogger("stepback")
PARSE_FORMATS = ("jsonld", "greenhouse", "lever", "ashby", "smartrecruiters", "workday", "rss")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    keep_private()
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S",
        stream=sys.stderr,
    )
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        print("stepback: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # every failure ends as one readable line
        if os.environ.get("STEPBACK_DEBUG"):
            raise
        print(f"stepback: error: {one_line(exc)}", file=sys.stderr)
        return 1


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    from stepback.warehouse import WarehouseDamaged

    known = (ConfigError, FileNotFoundError, ValueError, WarehouseDamaged)
    return text if isinstance(exc, known) else f"{type(exc).__name__}: {text}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stepback",
        description="Find entertainment jobs worth taking a step back for.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], text: str):
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(handler=handler)
        return sub

    command("init", cmd_init, "Create or upgrade the warehouse (re-running is a no-op).")
    command("check", cmd_check, "Verify the warehouse end to end: catalog, migrations, every "
            "table and data file, and the landing ledger against the landing files.")
    sub = command("crawl", cmd_crawl, "Crawl one configured source into a landing file.")
    sub.add_argument("source", help="source name from stepback.toml, e.g. jsonld:demo-board")
    sub = command("parse", cmd_parse, "Parse a saved page, API response or feed; print postings.")
    sub.add_argument("file", type=Path, help="saved HTML page, Greenhouse JSON or RSS/Atom feed")
    sub.add_argument("--format", "--kind", dest="format", default="auto",
                     choices=["auto", *PARSE_FORMATS],
                     help="which format it is (default: auto, detected from the content)")
    sub.add_argument("--url", default="https://saved.invalid/page",
                     help="the URL it was saved from, for links and ids")
    sub.add_argument("--source", help="source name to put on the postings")
    sub.add_argument("--company", help="company name, for formats that do not carry one")
    command("load", cmd_load, "Validate and load every new landing file into the warehouse.")
    command("classify", cmd_classify, "Score new or changed postings for every subscriber.")
    sub = command("score", cmd_score, "Score postings (JSON lines) for one profile; print JSON.")
    sub.add_argument("--profile", required=True, type=Path, help="profile TOML file")
    sub.add_argument("postings", nargs="?", type=Path, help="JSON-lines file (default: stdin)")
    sub = command("digest", cmd_digest, "Build today's digests: send via SMTP or write to outbox.")
    sub.add_argument("--date", help="digest date, YYYY-MM-DD (default: each subscriber's today)")
    sub.add_argument("--send", action="store_true",
                     help="send through STEPBACK_SMTP_URL; fail if it is not set")
    sub.add_argument("--due", action="store_true",
                     help="only subscribers whose send time has come (what the DAG does)")
    sub.add_argument("--preview", metavar="EMAIL",
                     help="write one subscriber's next digest as HTML and text; send nothing")
    command("train", cmd_train, "Train and evaluate the classifier; it becomes current only "
            "if it beats the current one.")
    sub = command("feedback", cmd_feedback, "Record a subscriber's verdict on a job (training).")
    sub.add_argument("job_id", metavar="JOB_ID", help="the job's job_key in the warehouse")
    sub.add_argument("label", choices=["good", "bad"], help="good: a step back worth taking")
    sub.add_argument("--subscriber", required=True, metavar="EMAIL", help="subscriber's email")
    sub = command("subscribe", cmd_subscribe, "Add or update a subscriber from a profile file.")
    sub.add_argument("profile", type=Path)
    command("subscribers", cmd_subscribers, "List subscribers.")
    sub = command("unsubscribe", cmd_unsubscribe, "Remove a subscriber (their history stays).")
    sub.add_argument("email")
    sub = command("serve", cmd_serve,
                  "Serve the digest's feedback and unsubscribe links over HTTP; keep running.")
    sub.add_argument("--host", help="address to bind (default: [digest] serve_host, 127.0.0.1)")
    sub.add_argument("--port", type=int, help="port (default: [digest] serve_port)")
    sub = command("sql", cmd_sql, "Run a read-only SQL query against the warehouse (no files "
                  "outside it, no ATTACH, settings locked).")
    sub.add_argument("query", help="SQL text, or @file.sql")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sub.add_argument("--at", type=_moment, metavar="TIMESTAMP",
                     help="answer as the warehouse stood then (ISO time, UTC unless it says)")
    sub.add_argument("--allow-files", action="store_true",
                     help="let the query read and write local files (read_csv, COPY TO); by "
                          "default it reaches nothing outside the warehouse")
    sub = command("attach", cmd_attach, "Print the SQL that opens the warehouse in a plain "
                  "duckdb shell or Python session (extensions from this install).")
    sub.add_argument("--write", action="store_true", help="attach read-write (default: read-only)")
    sub = command("maintain", cmd_maintain, "Merge small files, expire old snapshots and delete "
                  "files nothing uses (the daily maintain_warehouse DAG does this).")
    sub.add_argument("--keep-days", type=int, metavar="N",
                     help="keep N days of snapshots for time travel "
                          "(default: [warehouse] keep_snapshots_days, 30)")
    sub = command("export", cmd_export, "Write every warehouse table and view as Parquet files.")
    sub.add_argument("--parquet", required=True, type=Path, metavar="DIR",
                     help="folder to write <name>.parquet files into (created if missing)")
    command("demo", cmd_demo, "Run the whole pipeline through Airflow on the demo board.")
    command("airflow", cmd_airflow, "Start local Airflow with the demo board; keep running.")
    command("demo-start", cmd_demo_start, "Subscribe the demo profiles and trigger the demo "
            "crawls in a running Airflow (the compose demo profile runs this).")
    return parser


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"not an ISO timestamp: {text!r} (e.g. 2026-12-01T09:00 or 2026-12-01 09:00+01:00)"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def settings() -> Settings:
    return load_settings()


def print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, default=str))


def cmd_init(args: argparse.Namespace) -> int:
    from stepback.pipeline import init_step

    summary = init_step(settings())
    applied = summary["migrations_applied"]
    print(f"warehouse {summary['warehouse']}: " + (
        f"applied {', '.join(applied)}" if applied else "up to date"))
    if "imported" in summary:
        rows = summary["imported"]["rows"]
        print(f"imported {summary['imported']['from']} (kept as it was): {sum(rows.values())} "
              f"rows in {len(rows)} tables, each count checked")
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from stepback.pipeline import crawl_step

    config = settings()
    source = config.source(args.source)
    print(f"crawling {source.name} ({source.kind}, {len(source.urls)} start URLs)…",
          file=sys.stderr)
    print_json(crawl_step(config, source.name))
    return 0


def cmd_parse(args: argparse.Namespace) -> int:
    from scrapers.offline import parse_saved

    logging.getLogger("scrapy").setLevel(logging.WARNING)
    kind = None if args.format == "auto" else args.format
    try:
        postings, dropped = parse_saved(
            args.file.read_bytes(), url=args.url, kind=kind, source=args.source,
            company=args.company,
        )
    except (OSError, ValueError) as exc:
        raise ValueError(f"{args.file}: {one_line(exc)}") from exc
    for posting in postings:
        print(json.dumps(posting, ensure_ascii=False))
    for reason in dropped:
        print(f"{args.file}: dropped {reason}", file=sys.stderr)
    if not postings:
        detail = f": {dropped[0]}" if dropped else ""
        print(f"stepback: error: {args.file}: no postings found{detail}", file=sys.stderr)
        return 1
    print(f"{args.file}: {len(postings)} postings, {len(dropped)} dropped", file=sys.stderr)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from stepback.pipeline import load_step

    def progress(index: int, total: int, result: Any) -> None:
        state = "already loaded" if result.skipped else (
            f"{result.inserted} new, {result.updated} updated, {result.quarantined} quarantined")
        print(f"[{index}/{total}] {result.landing_file}: {state}", file=sys.stderr)

    print_json(load_step(settings(), progress))
    return 0


def cmd_classify(args: argparse.Namespace) -> int:
    from stepback.pipeline import classify_step

    print_json(classify_step(settings()))
    return 0


def cmd_score(args: argparse.Namespace) -> int:
    from stepback.classify import current_model, profile_dict, score
    from stepback.model_files import models_for
    from stepback.subscribers import read_profile

    config = settings()
    profile = read_profile(args.profile)
    stream = args.postings.open(encoding="utf-8") if args.postings else sys.stdin
    with stream:
        postings = [json.loads(line) for line in stream if line.strip()]
    models_for(config).pull()
    model = current_model(config.models_dir)
    results = score(model, postings, profile_dict(profile), config.file.classifier.threshold)
    for result in results:  # input order
        print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from datetime import date

    from stepback.pipeline import digest_step

    config = settings()
    if args.preview:
        from stepback.digesting import preview_digest
        from stepback.pipeline import warehouse_for

        html, text = preview_digest(warehouse_for(config), config, args.preview)
        print(f"{html}\n{text}")
        return 0
    if args.send and not config.smtp_url:
        raise ValueError("--send needs STEPBACK_SMTP_URL, e.g. smtp://user:pass@host:587")
    day = date.fromisoformat(args.date) if args.date else None
    summary = digest_step(config, digest_date=day, due_only=args.due)
    print_json(summary)
    return 1 if summary["failed"] else 0


def cmd_train(args: argparse.Namespace) -> int:
    from stepback.pipeline import train_step

    summary = train_step(settings())
    print_json(summary)
    print(f"model {summary['model_version']} {summary['decision']}; report {summary['report']}",
          file=sys.stderr)
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from stepback.feedback import record_feedback_in
    from stepback.pipeline import warehouse_for

    warehouse = warehouse_for(settings())
    verdict = record_feedback_in(warehouse, args.subscriber, args.job_id, args.label, via="cli")
    print(f"recorded {verdict.label} for job {verdict.job_key} from {verdict.subscriber_email}")
    return 0


def cmd_subscribe(args: argparse.Namespace) -> int:
    from stepback.pipeline import warehouse_for
    from stepback.subscribers import read_profile, subscribe_in

    profile = read_profile(args.profile)
    warehouse = warehouse_for(settings())
    warehouse.init()
    new = subscribe_in(warehouse, profile)
    print(f"{'subscribed' if new else 'updated'} {profile.name} <{profile.email}>")
    return 0


def cmd_subscribers(args: argparse.Namespace) -> int:
    from stepback.pipeline import warehouse_for
    from stepback.subscribers import subscribers

    config = settings()
    default = config.file.digest
    with warehouse_for(config).reader() as con:
        for profile in subscribers(con):
            when = f"{profile.send_time or default.time} {profile.timezone or default.timezone}"
            print(f"{profile.email}\t{profile.name}\t{profile.title}\t"
                  + ", ".join(profile.departments) + f"\t{when}")
    return 0


def cmd_unsubscribe(args: argparse.Namespace) -> int:
    from stepback.pipeline import warehouse_for
    from stepback.subscribers import unsubscribe_in

    if not unsubscribe_in(warehouse_for(settings()), args.email):
        raise ValueError(f"no subscriber {args.email.strip()}")
    print(f"unsubscribed {args.email.strip()}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from stepback.digest.signing import Signer, load_secret
    from stepback.link_server import LinkServer
    from stepback.pipeline import warehouse_for

    config = settings()
    digest = config.file.digest
    host = args.host or digest.serve_host
    port = digest.serve_port if args.port is None else args.port
    server = LinkServer((host, port), warehouse_for(config), Signer(load_secret(config.data_dir)))
    print(f"serving digest links on {server.url} (links in emails point at "
          f"{digest.links_url}); Ctrl-C stops", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    from stepback.pipeline import warehouse_for
    from stepback.warehouse import confine

    query = Path(args.query[1:]).read_text("utf-8") if args.query.startswith("@") else args.query
    warehouse = warehouse_for(settings())
    with warehouse.reader(at=args.at) as con:
        if not args.allow_files:
            confine(con, warehouse)
        try:
            relation = con.sql(query)
        except duckdb.PermissionException as exc:
            raise ValueError(f"{str(exc).splitlines()[0]}: `stepback sql` reaches only the "
                             "warehouse (--allow-files lets it use local files)") from None
        if relation is None:
            return 0
        if args.format == "table":
            relation.show(max_width=160, max_rows=100)
            return 0
        columns, rows = relation.columns, relation.fetchall()
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        for row in rows:
            print(json.dumps(dict(zip(columns, row, strict=True)), default=str))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from stepback.check import check_warehouse
    from stepback.landing import landing_for
    from stepback.pipeline import warehouse_for

    config = settings()
    landing_for(config).pull()
    findings = check_warehouse(warehouse_for(config), config.landing_dir,
                               progress=lambda what: print(f"checking {what}…", file=sys.stderr))
    for finding in findings:
        print(finding.line())
    return 0 if all(finding.ok for finding in findings) else 1


def cmd_attach(args: argparse.Namespace) -> int:
    from stepback.lake_storage import extensions_for
    from stepback.pipeline import warehouse_for
    from stepback.warehouse import extension_file

    warehouse = warehouse_for(settings())
    for name in extensions_for(warehouse):
        print(f"LOAD '{extension_file(name)}';")
    if warehouse.data_path.startswith("s3://"):
        print("-- S3: CREATE SECRET (TYPE s3, KEY_ID ..., SECRET ..., ENDPOINT ..., "
              "URL_STYLE 'path');")
    for statement in warehouse.attach_statements(read_only=not args.write):
        print(f"{statement};")
    return 0


def cmd_maintain(args: argparse.Namespace) -> int:
    from stepback.pipeline import maintain_step

    if args.keep_days is not None and args.keep_days < 1:
        raise ValueError("--keep-days must be at least 1")
    report = maintain_step(settings(), args.keep_days)
    print_json(report)
    print(f"data files {report['data_files_before']} -> {report['data_files_after']}; "
          f"{report['snapshots_expired']} snapshots expired, "
          f"{report['files_deleted'] + report['orphans_deleted']} files deleted", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from stepback.pipeline import warehouse_for

    args.parquet.mkdir(parents=True, exist_ok=True)
    with warehouse_for(settings()).reader() as con:
        names = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'lake' UNION ALL "
            "SELECT view_name FROM duckdb_views() WHERE database_name = 'lake' ORDER BY 1"
        ).fetchall()]
        for index, name in enumerate(names, start=1):
            path = args.parquet / f"{name}.parquet"
            relation = con.table(name)
            relation.write_parquet(str(path))
            print(f"[{index}/{len(names)}] {path}", file=sys.stderr)
    print(f"exported {len(names)} tables and views to {args.parquet}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from stepback.demo import run_demo

    return run_demo(settings())


def cmd_demo_start(args: argparse.Namespace) -> int:
    from stepback.demo import start_demo_in_stack

    start_demo_in_stack(settings())
    return 0


def cmd_airflow(args: argparse.Namespace) -> int:
    from stepback.demo import run_airflow

    return run_airflow(settings())


if __name__ == "__main__":
    sys.exit(main())
