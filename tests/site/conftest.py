"""Fixtures of the site tests: one build of the real catalog and one of a synthetic 6,000-offering
catalog per session, each served from 127.0.0.1, and one headless Chromium (Debian's; never a
downloaded browser). A missing Chromium fails the browser tests with how to install it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import llmaestro
from llmaestro.registry.core import Registry
from llmaestro.site.build import STATIC, SiteBuild, build_site
from llmaestro.site.pages import render_pages
from tests.site._synthetic import synthetic_registry

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
#: where the site tests leave their screenshots, sizes and timings (LLMAESTRO_TEST_ARTEFACTS)
ARTIFACTS = Path(os.environ.get("LLMAESTRO_TEST_ARTEFACTS") or ROOT / "build" / "test-artefacts")
ARTIFACTS = ARTIFACTS / "site"
GENERATED = "2026-11-27T12:00:00Z"
CHROMIUM = os.environ.get("LLMAESTRO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: offerings in the synthetic catalog (the real one is to hold 5,000+)
BIG = 6000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The repository catalog."""
    return llmaestro.load()


@pytest.fixture(scope="session")
def site(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    """The site of the repository catalog, built once per session."""
    return build_site(registry, tmp_path_factory.mktemp("site") / "out", generated=GENERATED)


@pytest.fixture(scope="session")
def big_registry() -> Registry:
    return synthetic_registry(BIG)


@pytest.fixture(scope="session")
def big_site(big_registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """index.html (and its assets) of the synthetic catalog."""
    out = tmp_path_factory.mktemp("big-site")
    pages = render_pages(big_registry, generated=GENERATED, only_index=True)
    (out / "index.html").write_text(pages["index.html"], "utf-8")
    shutil.copytree(STATIC, out / "static")
    return out


def _serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def site_url(site: SiteBuild) -> Iterator[str]:
    yield from _serve(site.out)


@pytest.fixture(scope="session")
def big_url(big_site: Path) -> Iterator[str]:
    yield from _serve(big_site)


@pytest.fixture(scope="package")  # closed before other packages run asyncio
def browser() -> Iterator[Browser]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the site tests drive a real headless browser. "
            "Install Debian's package (`apt-get install -y chromium`, which `make system-deps` "
            "does) or point LLMAESTRO_CHROMIUM at a Chromium binary. The tests never download "
            "a browser.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dev install has it
        pytest.fail("the Python package `playwright` is missing: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page; the test fails on any script error or failed request it logs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console {msg.type}: {msg.text}")
            if msg.type in ("error", "warning")
            else None
        ),
    )
    page.on("requestfailed", lambda req: problems.append(f"request failed: {req.url}"))
    try:
        yield page
    finally:
        context.close()
    assert not problems, "\n".join(problems)
