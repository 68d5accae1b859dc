"""Local stand-ins for Telegram's Bot API and an SMS gateway: real HTTP on 127.0.0.1 in a
thread, answering with the JSON shapes the real services send. Nothing calls the internet."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

TELEGRAM_TOKEN = "7012345678:AAHk-test-token-for-the-fake-api"
SMS_TOKEN = "gateway-secret-0123"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any


@dataclass
class FakeService:
    """Answers each POST with the next scripted ``(status, body)``, then with ``ok()``."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def answer(self, request: Received) -> tuple[int, dict[str, Any]]:
        return self.script.pop(0) if self.script else self.ok(request)

    def ok(self, request: Received) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError


_message_ids = itertools.count(5001)


class FakeTelegram(FakeService):
    def ok(self, request: Received) -> tuple[int, dict[str, Any]]:
        if request.path != f"/bot{TELEGRAM_TOKEN}/sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        chat_id = int(request.body["chat_id"])
        return 200, {
            "ok": True,
            "result": {
                "message_id": next(_message_ids),
                "from": {
                    "id": 7012345678,
                    "is_bot": True,
                    "first_name": "Hamroh",
                    "username": "hamroh_test_bot",
                },
                "chat": {"id": chat_id, "first_name": "Джамшед", "type": "private"},
                "date": 1763890100,
                "text": request.body["text"],
            },
        }

    @staticmethod
    def blocked() -> tuple[int, dict[str, Any]]:
        return 403, {
            "ok": False,
            "error_code": 403,
            "description": "Forbidden: bot was blocked by the user",
        }

    @staticmethod
    def too_many(retry_after: int) -> tuple[int, dict[str, Any]]:
        return 429, {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        }

    @staticmethod
    def bad_gateway() -> tuple[int, dict[str, Any]]:
        return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}


class FakeGateway(FakeService):
    def ok(self, request: Received) -> tuple[int, dict[str, Any]]:
        if request.headers.get("Authorization") != f"Bearer {SMS_TOKEN}":
            return 401, {"error": "unauthorized"}
        return 202, {"id": f"sms-{len(self.received)}", "status": "accepted"}


def serve(service: FakeService) -> Iterator[FakeService]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = Received(self.path, dict(self.headers), json.loads(raw or b"null"))
            service.received.append(request)
            status, body = service.answer(request)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def telegram_api(settings: Any) -> Iterator[FakeTelegram]:
    """Hamroh's Telegram channel pointed at a local fake Bot API."""
    for service in serve(FakeTelegram()):
        assert isinstance(service, FakeTelegram)
        settings.HAMROH_TELEGRAM_API = service.url
        settings.HAMROH_TELEGRAM_TOKEN = TELEGRAM_TOKEN
        yield service


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[FakeGateway]:
    """Hamroh's SMS channel pointed at a local fake gateway."""
    for service in serve(FakeGateway()):
        assert isinstance(service, FakeGateway)
        settings.HAMROH_SMS_GATEWAY_URL = f"{service.url}/messages"
        settings.HAMROH_SMS_GATEWAY_TOKEN = SMS_TOKEN
        yield service
