"""Smoke test of the browser tool chain: Playwright drives Debian's Chromium offline, and the vendored axe-core runs.

If this fails, every other browser test would fail for a reason unrelated to the application; see
scripts/install_system_deps.sh and tests/browser/browser_support.py.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .browser_support import (
    AXE_PATH,
    axe_results,
    chromium_executable,
    format_violations,
    run_axe,
    serve_directory,
)

TITLE = "Một Cửa — kiểm tra công cụ"

CLEAN_PAGE = f"""<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <title>{TITLE}</title>
  <script src="axe.min.js"></script>
</head>
<body>
  <main>
    <h1>Bộ phận tiếp nhận và trả kết quả</h1>
    <p>Tra cứu hồ sơ thủ tục hành chính.</p>
    <a href="#tra-cuu">Tra cứu hồ sơ</a>
  </main>
</body>
</html>
"""

# No axe script of its own, and a CSP that forbids injected <script> tags: run_axe must still work.
# image-alt is critical, color-contrast serious; the missing <h1> (page-has-heading-one) is only moderate.
FAULTY_PAGE = """<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="script-src 'none'">
  <title>Trang có lỗi</title>
</head>
<body>
  <main>
    <img id="logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==">
    <p id="faint" style="color:#d8d8d8;background:#ffffff">Chữ quá nhạt</p>
  </main>
</body>
</html>
"""


def vendored_axe_version() -> str:
    readme = (AXE_PATH.parent / "README.txt").read_text(encoding="utf-8")
    match = re.match(r"axe-core (\d+\.\d+\.\d+)", readme)
    assert match, "core/static/vendor/axe/README.txt must start with 'axe-core <version>'"
    return match.group(1)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = browser.new_page()
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (tmp_path / "faulty.html").write_text(FAULTY_PAGE, encoding="utf-8")
    shutil.copyfile(AXE_PATH, tmp_path / "axe.min.js")
    with serve_directory(tmp_path) as base_url:
        yield base_url


def test_chromium_loads_local_page_and_runs_vendored_axe(page: Page, site: str) -> None:
    assert "HeadlessChrome" in page.evaluate("navigator.userAgent")
    response = page.goto(site + "index.html")
    assert response is not None and response.status == 200
    assert page.title() == TITLE

    results = page.evaluate("() => axe.run()")

    assert results["testEngine"] == {"name": "axe-core", "version": vendored_axe_version()}
    assert isinstance(results["violations"], list)
    assert results["violations"] == [], format_violations(results["violations"])
    passed = {rule["id"] for rule in results["passes"]}
    assert {"document-title", "html-has-lang", "html-lang-valid"} <= passed
    assert run_axe(page) == []


def test_run_axe_injects_axe_and_keeps_only_serious_and_critical(page: Page, site: str) -> None:
    page.goto(site + "faulty.html")
    assert page.evaluate("typeof window.axe") == "undefined"

    violations = run_axe(page)

    assert sorted((v["id"], v["impact"]) for v in violations) == [
        ("color-contrast", "serious"),
        ("image-alt", "critical"),
    ]
    targets = {v["id"]: v["nodes"][0]["target"] for v in violations}
    assert targets == {"color-contrast": ["#faint"], "image-alt": ["#logo"]}
    report = format_violations(violations)
    assert "image-alt (critical)" in report and "#logo" in report

    everything = {v["id"]: v["impact"] for v in axe_results(page)["violations"]}
    assert everything.get("page-has-heading-one") == "moderate"
    assert [v["id"] for v in run_axe(page, impacts=("moderate",))] == ["page-has-heading-one"]


@pytest.mark.parametrize("impacts", [(), ("severe",), ("critical", "blocker")])
def test_run_axe_rejects_unknown_impacts(page: Page, impacts: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="impacts"):
        run_axe(page, impacts=impacts)


def test_missing_chromium_is_reported_clearly(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", str(tmp_path / "no-such-chromium"))
    with pytest.raises(FileNotFoundError, match="install_system_deps.sh"):
        chromium_executable()
    monkeypatch.delenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    assert chromium_executable() == "/usr/bin/chromium"
