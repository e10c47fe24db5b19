"""Serve the website widget's demo page (web/) for local use and the end-to-end tests.

    python -m bot.tools.serve_web [--host 127.0.0.1] [--port PORT] [--rasa-url URL]

Serves web/ and, at /vendor/, socket.io-client's browser build from
web/node_modules/socket.io-client/dist (`make web-build` installs it). When serving
index.html it puts the Rasa server's public URL (--rasa-url, default RASA_PUBLIC_URL, see
bot.settings) into the widget's data-rasa-url attribute, and sends a
Content-Security-Policy that lets the page load nothing from anywhere but this server and
talk to nothing but Rasa. `make web` starts it (bot.tools.launcher). Standard library only;
not meant for production (put web/ and the vendor file behind your real web server there).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import re
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "web"
VENDOR_DIR = WEB_DIR / "node_modules" / "socket.io-client" / "dist"
VENDOR_FILES = {"socket.io.min.js", "socket.io.min.js.map"}
NOT_SERVED = {"package.json", "package-lock.json"}  # npm's files in web/, not the site's
RASA_URL_ATTRIBUTE = re.compile(r'data-rasa-url="[^"]*"')


def rasa_origins(rasa_url: str) -> str:
    """The HTTP and WebSocket origins of the Rasa server, for connect-src."""
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {rasa_url!r}")
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc} {ws_scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str) -> str:
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: https:; "
        f"connect-src 'self' {rasa_origins(rasa_url)}; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'"
    )


def render_index(rasa_url: str) -> bytes:
    page = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    attribute = f'data-rasa-url="{html.escape(rasa_url, quote=True)}"'
    return RASA_URL_ATTRIBUTE.sub(lambda _: attribute, page).encode("utf-8")


class WebHandler(SimpleHTTPRequestHandler):
    """web/ as static files, index.html with the Rasa URL, /vendor/ from node_modules."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".map": "application/json",
        ".html": "text/html; charset=utf-8",
    }

    def __init__(self, *args, rasa_url: str, quiet: bool = False, **kwargs):
        self.rasa_url = rasa_url
        self.quiet = quiet
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        if path in ("/", "/index.html"):
            return self.send_index()
        if path.startswith("/vendor/"):
            name = path.removeprefix("/vendor/")
            if name not in VENDOR_FILES:
                self.send_error(404)
                return None
            if not (VENDOR_DIR / name).is_file():
                self.send_error(404, f"{name} is missing: run `make web-build` (npm ci in web/)")
                return None
        elif path.rsplit("/", 1)[-1] in NOT_SERVED or any(
            part.startswith(".") or part == "node_modules" for part in path.split("/")
        ):
            self.send_error(404)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        request_path = unquote(urlsplit(path).path)
        if request_path.startswith("/vendor/"):
            return str(VENDOR_DIR / request_path.removeprefix("/vendor/"))
        return super().translate_path(path)

    def list_directory(self, path):
        self.send_error(404)
        return None

    def send_index(self):
        body = render_index(self.rasa_url)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", content_security_policy(self.rasa_url))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    settings = Settings.from_environment()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=settings.web_port, help="port (default WEB_PORT's)"
    )
    parser.add_argument(
        "--rasa-url",
        default=settings.rasa_public_url,
        help="the Rasa server's URL as the browser sees it (default RASA_PUBLIC_URL's)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not log every request")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        rasa_origins(args.rasa_url)
    except ValueError as error:
        print(f"serve_web: --rasa-url / RASA_PUBLIC_URL: {error}", file=sys.stderr)
        return 2
    if not (VENDOR_DIR / "socket.io.min.js").is_file():
        print(
            f"serve_web: warning: {VENDOR_DIR.relative_to(ROOT)}/socket.io.min.js is missing; "
            "run `make web-build` (npm ci in web/) or the widget cannot connect",
            file=sys.stderr,
        )
    handler = partial(WebHandler, rasa_url=args.rasa_url, quiet=args.quiet)
    with ThreadingHTTPServer((args.host, args.port), handler) as server:
        host, port = server.server_address[:2]
        print(f"Serving web/ on http://{host}:{port} (Rasa at {args.rasa_url})", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
