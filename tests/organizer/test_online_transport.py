"""The organizer's HTTPS client: no redirect is followed, answers it cannot read are errors."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from coc_hashscreen.core import OprfKey
from coc_hashscreen.errors import ServiceError, ServiceRefused
from coc_hashscreen.formats import OnlineService
from coc_hashscreen.organizer import HttpTransport, ServiceClient

TOKEN = bytes(range(32))
KEY = OprfKey.derive(bytes(32), info=b"transport test").public_key


@contextmanager
def _server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Quiet(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_redirect_is_not_followed_and_the_token_stays_home() -> None:
    seen: list[str] = []

    class Elsewhere(_Quiet):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(200)
            self.end_headers()

        def do_POST(self) -> None:
            self.do_GET()

    with _server(Elsewhere) as elsewhere:

        class Redirect(_Quiet):
            def do_POST(self) -> None:
                self.send_response(302)
                self.send_header("Location", elsewhere + "/steal")
                self.send_header("Content-Length", "0")
                self.end_headers()

        with _server(Redirect) as url:
            client = ServiceClient(OnlineService(url, KEY), TOKEN, HttpTransport(timeout=5))
            with pytest.raises(ServiceError, match="HTTP 302"):
                client.evaluate([b"input"])
    assert seen == []


def test_an_answer_without_a_known_reason_is_a_service_error() -> None:
    class Teapot(_Quiet):
        def do_POST(self) -> None:
            self.send_response(418)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

    with _server(Teapot) as url:
        client = ServiceClient(OnlineService(url, KEY), TOKEN, HttpTransport(timeout=5))
        with pytest.raises(ServiceError, match="nothing was screened"):
            client.evaluate([b"input"])


def test_an_answer_that_is_not_http_is_a_service_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Something else listening at the address (http.client's BadStatusLine, no OSError)
    is a service that cannot be reached, not an internal error."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def answer() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    monkeypatch.setattr("coc_hashscreen.organizer._online.time.sleep", lambda _: None)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        client = ServiceClient(OnlineService(url, KEY), TOKEN, HttpTransport(timeout=5))
        with pytest.raises(ServiceError, match=r"could not be reached.*nothing was screened"):
            client.evaluate([b"input"])
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_service_on_this_machine_is_reached_without_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through an http_proxy the token would cross the network in clear text."""
    proxied: list[str] = []

    class Proxy(_Quiet):
        def do_POST(self) -> None:
            proxied.append(self.headers.get("Authorization", ""))
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()

    class Service(_Quiet):
        def do_POST(self) -> None:
            self.send_response(403)
            body = b'{"error": "revoked"}'
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with _server(Proxy) as proxy, _server(Service) as url:
        monkeypatch.setenv("http_proxy", proxy)
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        client = ServiceClient(OnlineService(url, KEY), TOKEN, HttpTransport(timeout=5))
        with pytest.raises(ServiceRefused, match="revoked"):
            client.evaluate([b"input"])
    assert proxied == []
