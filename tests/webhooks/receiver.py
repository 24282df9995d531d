"""A real HTTP receiver on a free loopback port, run in a thread, that records what it gets."""

import socket
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self):
        receiver = self.server.receiver
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        receiver.record(headers=dict(self.headers), body=body)
        if receiver.hanging:
            # Answer only when the test is over: the sender must give up on its own timeout.
            receiver.released.wait(timeout=30)
        status = receiver.next_status()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        reply = b"ok" if status < 300 else b"receiver says no"
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):  # keep the test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, receiver: "Receiver"):
        self.receiver = receiver
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request, client_address):
        # A sender that gave up on a hanging receiver closed the socket: the late answer's
        # broken pipe is what the test wanted, not a failure to print.
        pass

    def process_request(self, request, client_address):
        self.receiver.count_connection()
        super().process_request(request, client_address)


class Receiver:
    """Answers each POST with the next status of `statuses` (200 once they run out)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.requests: list[dict] = []
        self.connections = 0
        self.statuses: deque[int] = deque()
        self.hanging = False
        self.released = threading.Event()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/tierdesk"

    def start(self) -> "Receiver":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def count_connection(self) -> None:
        with self._lock:
            self.connections += 1

    def record(self, *, headers: dict, body: bytes) -> None:
        with self._lock:
            self.requests.append({"headers": headers, "body": body})

    def next_status(self) -> int:
        with self._lock:
            return self.statuses.popleft() if self.statuses else 200


def dead_url() -> str:
    """A loopback address nobody listens on: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks/tierdesk"
