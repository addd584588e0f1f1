"""A real HTTP server on 127.0.0.1 with scripted misbehaviours, for the HTTP layer's tests."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
            self.send_header(key, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        hits = self.server.count(path)
        self.server.agents.append(self.headers.get("User-Agent", ""))
        ok = json.dumps({"temperature": 18.5, "path": path}).encode()
        if path == "/json":
            self._send(200, ok)
        elif path == "/slow":
            time.sleep(2.0)
            self._send(200, ok)
        elif path == "/rate":  # 429 twice, then fine
            if hits <= 2:
                self._send(429, b"{}", {"Retry-After": "0.05"})
            else:
                self._send(200, ok)
        elif path == "/rate-date":
            when = formatdate(time.time() + 1, usegmt=True)
            self._send(429, b"{}", {"Retry-After": when})
        elif path == "/always-429":
            self._send(429, b"{}", {"Retry-After": "0.01"})
        elif path == "/flaky":  # 500 once, then fine
            self._send(500 if hits == 1 else 200, ok)
        elif path == "/truncated":  # promises 100 bytes, sends 20, hangs up
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(ok[:20])
            self.wfile.flush()
            self.close_connection = True
        elif path == "/bad-json":
            self._send(200, b'{"temperature": 18')
        elif path == "/wrong-shape":
            self._send(200, b'{"temperature": "warm"}')
        elif path == "/drip":  # one byte every 0.1 s, for ever (well, 5 s)
            self.send_response(200)
            self.end_headers()
            for _ in range(50):
                try:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)
        elif path == "/big":
            self._send(200, b"[" + b"0," * 600_000 + b"0]")
        elif path == "/big-undeclared":  # no Content-Length: the cap must hold while streaming
            self.send_response(200)
            self.end_headers()
            for _ in range(300):
                try:
                    self.wfile.write(b"0" * 8192)
                except OSError:
                    return
            self.close_connection = True
        elif path == "/nap":  # 0.1 s, counting how many are in flight at once
            with self.server.lock:
                self.server.in_flight += 1
                self.server.peak = max(self.server.peak, self.server.in_flight)
            time.sleep(0.1)
            with self.server.lock:
                self.server.in_flight -= 1
            self._send(200, ok)
        elif path == "/missing":
            self._send(404, b'{"error": "no such place"}')
        elif path == "/to-private":
            self._send(302, b"", {"Location": "http://10.0.0.1/secret"})
        elif path == "/to-json":
            self._send(302, b"", {"Location": "/json"})
        else:
            self._send(404, b"{}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0

    def count(self, path: str) -> int:
        with self.lock:
            self.hits[path] += 1
            return self.hits[path]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serve() -> Iterator[_Server]:
    """Runs the server in a thread for the duration of the block."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
