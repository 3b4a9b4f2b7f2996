"""The demo board's HTTP server: stdlib ThreadingHTTPServer, started in a daemon thread."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from stepback.demoboard.catalog import Catalog, default_catalog
from stepback.demoboard.routes import Request, Response, dispatch


class BoardServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], catalog: Catalog, verbose: bool) -> None:
        self.catalog = catalog
        self.verbose = verbose
        super().__init__(address, BoardHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if host in ("0.0.0.0", ""):
            host = "127.0.0.1"
        return f"http://{host}:{port}"


class BoardHandler(BaseHTTPRequestHandler):
    server: BoardServer
    server_version = "stepback-demoboard/0.1"

    def do_GET(self) -> None:
        self._send(self._response(), with_body=True)

    def do_HEAD(self) -> None:
        self._send(self._response(), with_body=False)

    def _response(self) -> Response:
        host = self.headers.get("Host")
        base_url = f"http://{host}" if host else self.server.url
        return dispatch(Request.from_target(self.path, base_url), self.server.catalog)

    def _send(self, response: Response, with_body: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(response.body)

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    verbose: bool = False,
    catalog: Catalog | None = None,
) -> BoardServer:
    return BoardServer((host, port), catalog or default_catalog(), verbose)


class DemoBoard:
    """A running demo board; `with serve() as board:` stops it on exit."""

    def __init__(self, server: BoardServer) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="stepback-demoboard", daemon=True
        )
        self._stopped = False

    @property
    def url(self) -> str:
        return self._server.url

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> "DemoBoard":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> "DemoBoard":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve(host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> DemoBoard:
    """Start the board in a daemon thread; port 0 picks a free port (see `.port`/`.url`)."""
    return DemoBoard(make_server(host, port, verbose=verbose)).start()
