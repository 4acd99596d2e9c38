"""A small threaded HTTP server for fakes: routes, fault injection and a request log."""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body).encode()


def error(status: int, message: str, reason: str | None = None, **headers: str) -> Response:
    """Spotify's error shape: ``{"error": {"status": …, "message": …}}``."""
    err: dict[str, Any] = {"status": status, "message": message}
    if reason:
        err["reason"] = reason
    return Response(status, {"error": err}, dict(headers))


@dataclass
class Fault:
    """Answer ``response`` instead of the real thing to the next ``times`` matching requests."""

    pattern: re.Pattern
    response: Response
    times: int
    method: str | None = None
    passthrough_delay: bool = False  # delay then answer normally (a slow, not failing, answer)
    after: int = 0  # let this many matching requests through first


class FakeServer:
    """Serves ``self.handle(request) -> Response`` on 127.0.0.1 in a background thread."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls on keep-alive

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                req = Request(self.command, parts.path, query, dict(self.headers.items()), body)
                response = outer._dispatch(req)
                if response.delay:
                    time.sleep(response.delay)
                payload = response.payload()
                try:
                    self.send_response(response.status)
                    headers = {"Content-Type": "application/json; charset=utf-8"}
                    headers.update(response.headers)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever,
                                        kwargs={"poll_interval": 0.02}, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> "FakeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- faults and log -------------------------------------------------------------------------
    def fail(self, pattern: str, response: Response, times: int = 1,
             method: str | None = None, after: int = 0) -> None:
        """After ``after`` matching requests, the next ``times`` whose path matches ``pattern``
        get ``response``."""
        with self._lock:
            self.faults.append(Fault(re.compile(pattern), response, times, method, after=after))

    def slow(self, pattern: str, delay: float, times: int = 1) -> None:
        """The next ``times`` matching requests are answered normally after ``delay`` seconds."""
        with self._lock:
            self.faults.append(Fault(re.compile(pattern), Response(delay=delay), times,
                                     passthrough_delay=True))

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method is None or r.method == method]

    def _dispatch(self, req: Request) -> Response:
        if len(req.path) > 1 and req.path.endswith("/"):  # like Spotify: ignore a trailing slash
            req.path = req.path.rstrip("/")
        with self._lock:
            self.requests.append(req)
            fault = next((f for f in self.faults if f.times > 0 and f.pattern.search(req.path)
                          and (f.method is None or f.method == req.method)), None)
            if fault and fault.after > 0:
                fault.after -= 1
                fault = None
            elif fault:
                fault.times -= 1
        if fault and not fault.passthrough_delay:
            return fault.response
        try:
            response = self.handle(req)
        except Exception as exc:  # a bug in a fake shows as a 599 with the message
            response = Response(599, {"error": {"status": 599, "message": repr(exc)}})
        if fault:
            response.delay = fault.response.delay
        return response

    def handle(self, req: Request) -> Response:  # pragma: no cover - overridden
        return Response(404, {"error": "not found"})


def route(table: list[tuple[str, str, Callable[..., Response]]], req: Request) -> Response | None:
    """Call the first ``(method, regex, fn)`` whose regex fully matches the path."""
    for method, pattern, fn in table:
        match = re.fullmatch(pattern, req.path)
        if match and method == req.method:
            return fn(req, *match.groups())
    return None
