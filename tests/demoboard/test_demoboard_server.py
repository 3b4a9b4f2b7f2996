"""Starting and stopping the board: serve(), the context manager, quiet logs, the CLI."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from stepback.demoboard import serve
from stepback.demoboard.__main__ import main

from .support import fetch


def test_serve_picks_a_free_port_and_stop_closes_it() -> None:
    board = serve()
    try:
        assert board.port > 0
        assert board.url == f"http://127.0.0.1:{board.port}"
        assert fetch(board.url + "/robots.txt").status == 200
    finally:
        board.stop()
    board.stop()  # a second stop is harmless
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(board.url + "/robots.txt", timeout=5)


def test_context_manager_stops_the_board() -> None:
    with serve() as board:
        url = board.url
        assert fetch(url + "/jobs/").status == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/jobs/", timeout=5)


def test_requests_are_not_logged_unless_verbose(capfd: pytest.CaptureFixture[str]) -> None:
    with serve() as board:
        fetch(board.url + "/jobs/")
        fetch(board.url + "/jobs/999/missing/")
    assert capfd.readouterr().err == ""
    with serve(verbose=True) as board:
        fetch(board.url + "/robots.txt")
    assert "GET /robots.txt" in capfd.readouterr().err


def test_head_sends_headers_without_a_body() -> None:
    with serve() as board:
        response = fetch(board.url + "/rss/ecnjcat112", method="HEAD")
    assert response.status == 200
    assert int(response.headers["Content-Length"]) > 1000
    assert response.body == b""


def test_main_reports_a_busy_port_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with serve() as board:
        assert main(["--port", str(board.port)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f":{board.port}" in err


def test_python_dash_m_prints_the_url_and_serves() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "stepback.demoboard", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert fetch(url + "/robots.txt").text.startswith("User-agent: *")
    finally:
        process.terminate()
        process.wait(timeout=10)
