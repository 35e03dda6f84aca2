"""The simulator: an HTTP server (stdlib only) in front of the Api model.

Transport only: parsing the request line, reading the body, the credential
check, faults and bookkeeping; what is answered is the routes' business
(routes.py), from the jobs and options an Api holds (api.py).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import uuid
from collections import Counter, deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Deque, Dict, Iterable, Iterator, List, NamedTuple, Optional, Set, Tuple
from urllib.parse import parse_qs, urlsplit

from ..model import Clock, Job
from ..model.jobs import JobId
from .api import Api
from .faults import Faults
from .iam import Iam, Rejected
from .responses import Response, gateway_error
from .routes import answer, kind_of

REQUEST_LOG_SIZE = 10000


class _Handler(BaseHTTPRequestHandler):
    # Keep-alive, as the real gateway does; without disabling Nagle every
    # response (headers and body are two writes) waits ~40 ms for a delayed ACK.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server  # the handler only ever serves a _Server, which carries the Simulator

    def version_string(self) -> str:
        return "aomlog-simulator"

    def setup(self) -> None:
        super().setup()
        self.server.sim._connections.add(self.connection)

    def finish(self) -> None:
        self.server.sim._connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        self.server.sim._serve(self)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_message(self, format: str, *args) -> None:
        if self.server.sim.verbose:
            sys.stderr.write("simulator: %s\n" % (format % args))


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, sim: "Simulator"):
        self.sim = sim
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        # Clients hanging up mid-answer are routine (timeouts, Ctrl-C): no traceback noise.
        if self.sim.verbose:
            super().handle_error(request, client_address)


class Request(NamedTuple):
    """One request as the server saw it, for tests that count or inspect requests."""

    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    time: float  # the simulator clock's now() when it arrived
    method: str = "GET"
    body: bytes = b""
    peer: str = ""  # the client's address and port: one per connection


class Simulator:
    """A fake ModelArts training API (v1 and v2 jobs, job lists, IAM's project
    lookup) on 127.0.0.1.

    ``base_line_mode``: "exclusive" (onward returns pos > base_line, end_line
    is the last returned position) or "inclusive" (onward returns pos >=
    base_line, end_line is exclusive). Reading back is pos < base_line in both.
    ``strict_positions``: refuse (400 ModelArts.0104) any base_line the server
    never handed out, e.g. 0. ``project_id``: if set, other project ids get 403.
    ``ak``/``sk`` (and ``security_token``) or ``token``: if set, every request must be
    signed with that pair or carry that token, or it gets the gateway's 401.
    ``v2_order``: "documented" (v2 ``asc`` reads onward, ``desc`` back) or "v1"
    (as v1: ``desc`` onward). ``search_offset``: the job search's ``offset``
    counts "items" or "pages". ``v1_api=False``: a region without the old API
    (every /v1/ path is the gateway's 404). ``projects``: region -> project id for
    ``GET /v3/projects?name=`` (default: cn-north-4 -> project_id or a fixed id).
    ``events_offset``: the events' ``offset`` counts "items" or "pages"; ``story_times``:
    events and stages write times as "iso" (8601, +08:00), "ms" or "ms-string";
    ``usage_scale``: usage rates in "percent" or as a "fraction" (docs/api-v2-job.md).

    ``request_count`` counts requests per kind (routes.REQUEST_KINDS) since the last
    reset; a kind never requested reads 0.
    """

    def __init__(self, jobs: Iterable[Job] = (), *, base_line_mode: str = "exclusive",
                 clock: Optional[Clock] = None, strict_positions: bool = False,
                 trailing_newline: bool = False, project_id: Optional[str] = None,
                 faults: Optional[Faults] = None, verbose: bool = False, ak: Optional[str] = None,
                 sk: Optional[str] = None, security_token: Optional[str] = None, token: Optional[str] = None,
                 v2_order: str = "documented", search_offset: str = "items", v1_api: bool = True,
                 projects: Optional[Dict[str, str]] = None, events_offset: str = "items",
                 story_times: str = "iso", usage_scale: str = "percent"):
        self.clock = clock or Clock()
        self.iam = Iam(self.clock.now, ak=ak, sk=sk, security_token=security_token, token=token)
        self.api = Api(self.clock, base_line_mode, strict_positions, trailing_newline, project_id,
                       v2_order=v2_order, search_offset=search_offset, v1_api=v1_api, projects=projects,
                       events_offset=events_offset, story_times=story_times, usage_scale=usage_scale)
        self.faults = faults or Faults()
        self.verbose = verbose
        # A Counter: kinds appear as they are requested, so comparing with a dict of
        # the kinds a test used works, and any other kind reads 0.
        self.request_count: Counter[str] = Counter()
        self.request_log: Deque[Request] = deque(maxlen=REQUEST_LOG_SIZE)
        self._lock = threading.Lock()
        self._connections: Set[socket.socket] = set()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None
        for job in jobs:
            self.add_job(job)

    # -- jobs and ground truth ---------------------------------------------

    def add_job(self, job: Job) -> Job:
        """Add (or replace) a job; a growing job without start_time starts now
        (or ``start_delay`` from now)."""
        return self.api.add_job(job)

    # A v2 job is (uuid, None): its version_id is None and its files are its tasks.

    def job(self, job_id: JobId, version_id: Optional[int] = None) -> Job:
        return self.api.jobs[(job_id, version_id)]

    def _file(self, job_id: JobId, version_id: Optional[int], file: Optional[str]) -> Tuple[Job, str]:
        job = self.job(job_id, version_id)
        return job, job.files[0] if file is None else file

    def visible_lines(self, job_id: JobId, version_id: Optional[int] = None) -> int:
        return self.job(job_id, version_id).visible(self.clock.now())

    def iter_log_lines(self, job_id: JobId, version_id: Optional[int] = None,
                       file: Optional[str] = None) -> Iterator[str]:
        """The currently visible lines, generated lazily (for huge logs)."""
        job, name = self._file(job_id, version_id, file)
        return job.iter_lines(name, self.clock.now())

    def log_lines(self, job_id: JobId, version_id: Optional[int] = None, file: Optional[str] = None) -> List[str]:
        """All currently visible lines of a file or task (default: the job's first)."""
        return list(self.iter_log_lines(job_id, version_id, file))

    def log_text(self, job_id: JobId, version_id: Optional[int] = None, file: Optional[str] = None) -> str:
        """What a correct client prints: every line followed by a newline."""
        lines = self.log_lines(job_id, version_id, file)
        return "\n".join(lines) + "\n" if lines else ""

    def positions(self, job_id: JobId, version_id: Optional[int] = None, file: Optional[str] = None) -> List[int]:
        job, name = self._file(job_id, version_id, file)
        f = job.file(name)
        if f is None:
            raise KeyError(name)
        return [f.position(i) for i in range(job.visible(self.clock.now()))]

    # -- request bookkeeping -----------------------------------------------

    def reset_requests(self) -> None:
        with self._lock:
            self.request_count.clear()
            self.request_log.clear()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        path = split.path
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        kind = kind_of(path)
        try:
            length = int(handler.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        # Read every body (a POST's is signed and parsed; any other's is read so the
        # keep-alive connection stays usable).
        body = handler.rfile.read(length) if length > 0 else b""
        with self._lock:
            self.request_count[kind] += 1
            self.request_log.append(Request(path, query, dict(handler.headers.items()), self.clock.now(),
                                            handler.command, body, "%s:%s" % handler.client_address[:2]))
        request_id = uuid.uuid4().hex
        if self.iam.enabled:
            try:
                self.iam.check(handler.command, handler.path, handler.headers, body)
            except Rejected as exc:
                return self._write(handler, gateway_error(401, "APIGW.0301", str(exc), request_id), request_id)
        if self.faults.latency:
            time.sleep(self.faults.latency)
        fault = self.faults.pick(kind)
        if fault == "drop":
            # No status line, no headers: the server just closes the socket.
            handler.close_connection = True
            return
        if fault == "cut":
            # Headers promise a body that stops half way: the connection breaks mid-answer.
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json;charset=UTF-8")
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b'{"is_success": true, "content": "half')
            handler.wfile.flush()
            handler.close_connection = True
            return
        if fault is not None:
            resp = self.faults.response(fault, request_id)
        else:
            resp = answer(self.api, handler.command, path, query, request_id, body)
        self._write(handler, resp, request_id)

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, resp: Response, request_id: str) -> None:
        handler.send_response(resp.status)
        if resp.status != 204:  # a 204 must not carry Content-Length or a body
            handler.send_header("Content-Type", resp.content_type)
            handler.send_header("Content-Length", str(len(resp.body)))
        handler.send_header("X-Request-Id", request_id)
        for name, value in resp.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        if resp.status != 204 and handler.command != "HEAD":
            handler.wfile.write(resp.body)

    # -- lifecycle ---------------------------------------------------------

    def _bind(self, host: str, port: int) -> _Server:
        if self._server is not None:
            raise RuntimeError("simulator already started")
        self._server = _Server((host, port), self)
        return self._server

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("simulator not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        if not self._server:
            return ""
        host = self._server.server_address[0]
        if not isinstance(host, str):  # the stubs allow bytes; an AF_INET socket reports a str
            host = host.decode()
        return "http://%s:%d" % (host, self.port)

    def start(self, port: int = 0, host: str = "127.0.0.1") -> str:
        """Serve in a daemon thread; returns the base URL."""
        server = self._bind(host, port)
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="aomlog-simulator", daemon=True)
        self._thread.start()
        return self.url

    def serve_forever(self, port: int = 0, host: str = "127.0.0.1",
                      on_ready: Optional[Callable[[str], None]] = None) -> None:
        """Serve in this thread until KeyboardInterrupt, which is re-raised after closing."""
        server = self._bind(host, port)
        if on_ready is not None:
            on_ready(self.url)
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            self._close()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._close()

    def _close(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.server_close()
        # Keep-alive handler threads would otherwise wait on idle clients forever.
        for conn in list(self._connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def __enter__(self) -> "Simulator":
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

