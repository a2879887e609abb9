"""Shared helpers for browser tests: Debian's Chromium through Playwright, axe-core checks, a static file server.

Playwright never downloads a browser here: `launch_chromium` starts the system Chromium (`/usr/bin/chromium`, from
the Debian package installed by scripts/install_system_deps.sh, or PLAYWRIGHT_CHROMIUM_EXECUTABLE) with the flags
this offline machine needs. `run_axe` runs the vendored axe-core (core/static/vendor/axe/axe.min.js) on a page and
returns the violations that must fail a test.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "core" / "static" / "vendor" / "axe" / "axe.min.js"
DEFAULT_CHROMIUM = "/usr/bin/chromium"

# As root on a machine whose only network is loopback and a few registries: no sandbox (root), no GPU, and no
# background connections (they are refused, many at a time, and slow every start).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

AXE_IMPACTS: tuple[str, ...] = ("minor", "moderate", "serious", "critical")
BLOCKING_IMPACTS: tuple[str, ...] = ("serious", "critical")


def chromium_executable() -> str:
    """Return the Chromium binary to drive: $PLAYWRIGHT_CHROMIUM_EXECUTABLE or /usr/bin/chromium.

    Raises FileNotFoundError (naming the install script) when it is missing or not executable.
    """
    path = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise FileNotFoundError(
            f"Chromium not found at {path!r}; run scripts/install_system_deps.sh as root "
            "(Debian package 'chromium') or set PLAYWRIGHT_CHROMIUM_EXECUTABLE"
        )
    return path


def launch_chromium(playwright: Playwright, **launch_options: Any) -> Browser:
    """Launch headless Debian Chromium through Playwright and return the Browser (caller closes it).

    Extra keyword arguments go to `playwright.chromium.launch`; an `args` list is appended to CHROMIUM_ARGS.
    """
    extra_args = list(launch_options.pop("args", []) or [])
    options: dict[str, Any] = {"headless": True, "chromium_sandbox": False}
    options.update(launch_options)
    return playwright.chromium.launch(
        executable_path=chromium_executable(),
        args=[*CHROMIUM_ARGS, *extra_args],
        **options,
    )


@functools.cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def ensure_axe(page: Page) -> None:
    """Make `window.axe` available on the page, injecting the vendored axe.min.js if the page lacks it.

    The source is evaluated through the DevTools protocol, so a page's Content-Security-Policy does not block it.
    """
    if page.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        return
    # Wrapped in a function so Playwright evaluates it as code; axe's UMD wrapper assigns window.axe.
    page.evaluate("() => {\n" + _axe_source() + "\n}")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        raise RuntimeError(f"injecting {AXE_PATH} did not define window.axe")


def axe_results(page: Page, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run `axe.run(document, options)` on the page (injecting axe if needed) and return the full results object."""
    ensure_axe(page)
    return page.evaluate("(options) => axe.run(document, options || {})", options)


def run_axe(
    page: Page,
    impacts: Sequence[str] = BLOCKING_IMPACTS,
    options: dict[str, Any] | None = None,
) -> list[dict]:
    """Run axe-core on the page and return its violations whose impact is in `impacts` (serious/critical).

    Each item is axe's violation object: `id`, `impact`, `help`, `helpUrl`, `nodes` (with `target`, `html`, ...).
    An empty list means the page passes. `options` go to axe.run (e.g. {"runOnly": ["wcag2a", "wcag2aa"]}).
    Raises ValueError for an impact name axe does not use.
    """
    wanted = set(impacts)
    unknown = wanted - set(AXE_IMPACTS)
    if unknown or not wanted:
        raise ValueError(f"impacts must be a non-empty subset of {AXE_IMPACTS}, got {tuple(impacts)!r}")
    results = axe_results(page, options)
    return [v for v in results["violations"] if v.get("impact") in wanted]


def format_violations(violations: Sequence[dict]) -> str:
    """Render axe violations as readable lines for an assertion message: rule, impact, help, offending targets."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(map(str, n.get("target", []))) for n in violation.get("nodes", []))
        lines.append(f"{violation.get('id')} ({violation.get('impact')}): {violation.get('help')} -> {targets}")
    return "\n".join(lines)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base class
        pass


@contextmanager
def serve_directory(directory: Path | str) -> Iterator[str]:
    """Serve `directory` over HTTP on 127.0.0.1 (a free port) in a thread; yield its base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
