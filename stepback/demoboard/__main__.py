"""`python -m stepback.demoboard --port 8765`: serve the demo board in the foreground."""

import argparse
import sys

from stepback.demoboard.server import make_server


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m stepback.demoboard", description="Serve the stepback demo job board."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port, 0 for any (default %(default)s)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    try:
        server = make_server(args.host, args.port, verbose=args.verbose)
    except OSError as error:
        print(f"demoboard: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 1
    print(server.url, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
