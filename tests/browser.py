"""A real headless Chromium for tests: pages served from a local HTTP server, JavaScript
evaluated through the DevTools protocol (a small client over websockets).

Chromium is Debian's package `chromium` (`make setup` installs it). A test that needs it
fails with a line saying how to install it; it never skips silently.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--mute-audio", "--remote-debugging-port=0", "--window-size=1280,800"]
AUTOPLAY = "--autoplay-policy=no-user-gesture-required"


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium is needed for the browser tests and is not installed: "
                "run 'make setup' or 'sudo apt-get install chromium'.", pytrace=False)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving `folder`; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".vtt": "text/vtt", ".webm": "video/webm", ".mp4": "video/mp4"}

    def log_message(self, *args: Any) -> None:
        pass


class Page:
    """One Chromium tab, driven over the DevTools protocol."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0

    def send(self, method: str, **params: Any) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv(timeout=60))
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg["result"]

    def eval(self, expression: str) -> Any:
        """The value of a JavaScript expression (awaited if it is a promise)."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"JavaScript failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key: str, code: str | None = None) -> None:
        """A real key press (a user gesture, as a presenter's)."""
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code or key,
                      windowsVirtualKeyCode={"ArrowRight": 39, "ArrowLeft": 37, " ": 32}
                      .get(key, 0))

    def click(self, x: float, y: float) -> None:
        """A real mouse click at (x, y) CSS pixels."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)

    def screenshot(self, dst: Path) -> Path:
        import base64

        dst.write_bytes(base64.b64decode(self.send("Page.captureScreenshot")["data"]))
        return dst


@contextlib.contextmanager
def open_page(url: str, autoplay: bool = True) -> Iterator[Page]:
    """Headless Chromium showing `url`, until the block ends; `autoplay=False` keeps the
    browser's own rule (no playing with sound before the user's first gesture)."""
    from websockets.sync.client import connect

    profile = Path(tempfile.mkdtemp(prefix="nnviz-chromium-"))
    flags = [*FLAGS, AUTOPLAY] if autoplay else FLAGS
    proc = subprocess.Popen([chromium(), *flags, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.is_file() or not port_file.read_text().strip():
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("headless Chromium did not start", pytrace=False)
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        target = None
        while target is None and time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            target = pages[0] if pages else None
            time.sleep(0.1)
        assert target is not None, "Chromium opened no page"
        with connect(target["webSocketDebuggerUrl"], max_size=None) as ws:
            page = Page(ws)
            page.send("Page.navigate", url=url)
            page.eval(f"new Promise(r => {{ const check = () => location.href.split('#')[0] === "
                      f"{json.dumps(url)} && document.readyState === 'complete' ? r() : "
                      f"setTimeout(check, 50); check(); }})")
            yield page
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
