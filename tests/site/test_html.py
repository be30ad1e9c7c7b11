"""Every generated page is valid HTML (no HTML5 parse error, unique ids, labels that name
controls, nothing loaded from the network) and every internal link resolves."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from llmaestro.site.build import SiteBuild
from tests.site._htmlcheck import PageReport, check_page, check_pages, parse_errors


def _chunks(paths: list[str], sizes: dict[str, int], n: int) -> list[list[str]]:
    """``n`` lists of about equal bytes (largest first, each to the lightest list)."""
    out: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for p in sorted(paths, key=lambda p: -sizes[p]):
        i = load.index(min(load))
        out[i].append(p)
        load[i] += sizes[p]
    return [c for c in out if c]


def test_every_page_is_valid_html_and_links_resolve(site: SiteBuild) -> None:
    root = site.out
    pages = list(site.pages)
    sizes = {p: (root / p).stat().st_size for p in pages}
    workers = max(2, min(4, os.cpu_count() or 2))
    reports: list[PageReport] = []
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        chunks = _chunks(pages, sizes, workers * 3)
        for part in pool.map(check_pages, [str(root)] * len(chunks), chunks):
            reports += part
    assert sorted(r.path for r in reports) == sorted(pages)
    errors = [e for r in reports for e in r.errors]
    ids = {r.path: r.ids for r in reports}
    for r in reports:
        for target, fragment in sorted(r.links):
            if not (root / target).is_file():
                errors.append(f"{r.path}: link to missing file {target}")
            elif fragment and target in ids and fragment not in ids[target]:
                errors.append(f"{r.path}: link to missing anchor {target}#{fragment}")
    assert not errors, f"{len(errors)} problems:\n" + "\n".join(errors[:40])


def test_the_checker_catches_bad_pages(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><p id="a"><div id="a">'
        '</p><label for="nope">x</label><a href="gone.html">x</a>'
        '<script src="https://cdn.example/x.js"></script></body></html>',
        "utf-8",
    )
    report = check_page(tmp_path, "bad.html")
    text = "\n".join(report.errors)
    assert "parse error unexpected-end-tag" in text  # </p> with no open <p>
    assert "duplicate id 'a'" in text
    assert "label for 'nope'" in text
    assert "no lang" in text
    assert "loads 'https://cdn.example/x.js'" in text
    assert ("gone.html", "") in report.links
    assert parse_errors("<p>no doctype</p>")
