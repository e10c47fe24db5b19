"""Local fakes of the Telegram Bot API and Twilio's messages API, recording every call."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from bot.privacy.pseudonyms import pseudonym

TELEGRAM_TOKEN = "123456:TEST-token-for-a-fake-bot"
TELEGRAM_SECRET = "a-long-random-secret"
TWILIO_SID = "AC" + "1" * 32
TWILIO_TOKEN = "twilio-auth-token"
WHATSAPP_NUMBER = "whatsapp:+15550100000"


# The clinic's erasure endpoint's token (not a chat app's, but on for the same servers).
PRIVACY_TOKEN = "e2e-privacy-token-not-a-secret"
# The key of chat-app senders' pseudonyms: the servers and the tests compute the same ids.
SENDER_ID_KEY = "e2e-sender-id-key-" + "5" * 46


def stored_id(original: str) -> str:
    """The id a chat app's sender (`whatsapp:+1555…`, `telegram:4242`) is stored under."""
    channel, _, bare = original.partition(":")
    return pseudonym(channel, bare, SENDER_ID_KEY)


def chat_app_environment(telegram_url: str, twilio_url: str) -> dict[str, str]:
    """Telegram and WhatsApp switched on, talking to the fakes at these URLs."""
    return {
        "TELEGRAM_ACCESS_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE": telegram_url,
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
        "TWILIO_API_BASE": twilio_url,
        "PRIVACY_TOKEN": PRIVACY_TOKEN,
        "SENDER_ID_KEY": SENDER_ID_KEY,
    }


class RecordingServer(ThreadingHTTPServer):
    def __init__(self, reply):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = reply
        self.calls: list[tuple[str, dict]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def wait_for_calls(self, count: int, timeout: float = 60) -> list[tuple[str, dict]]:
        deadline = time.monotonic() + timeout
        while len(self.calls) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return list(self.calls)


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            fields = json.loads(body or "{}")
        else:
            fields = {key: values[0] for key, values in parse_qs(body).items()}
        self.server.calls.append((self.path, fields))
        payload = json.dumps(self.server.reply(self.path, fields)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def telegram_reply(path: str, fields: dict) -> dict:
    message = {
        "message_id": len(fields) + 1,
        "date": int(time.time()),
        "chat": {"id": int(fields.get("chat_id", 1)), "type": "private"},
        "text": fields.get("text", ""),
    }
    return {"ok": True, "result": message}


def twilio_reply(path: str, fields: dict) -> dict:
    return {
        "sid": "SM" + "0" * 32,
        "body": fields.get("Body", ""),
        "to": fields.get("To"),
        "from": fields.get("From"),
        "status": "queued",
    }


@contextmanager
def recording_server(reply):
    server = RecordingServer(reply)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
