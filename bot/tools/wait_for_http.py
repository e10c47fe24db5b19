"""Wait until a URL answers HTTP 200: `python bot/tools/wait_for_http.py URL [SECONDS]`."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request


def wait_for(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    return False


if __name__ == "__main__":
    sys.exit(0 if wait_for(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 60) else 1)
