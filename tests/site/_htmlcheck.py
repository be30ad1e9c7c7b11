"""HTML checks, run in worker processes (a pure-Python HTML5 parser: a few MB/s per core).

Each page is parsed by JustHTML (the WHATWG parsing algorithm, tested against the
html5lib-tests suite) collecting every parse error: any one fails the page, with its line and
column. Then: ids are unique; every ``label[for]`` and ``aria-labelledby`` names an element of
the page; the page has a language and a title; every table header cell has a scope; nothing
(script, style sheet, image) is loaded from the network. Internal links are returned for the
caller to resolve across pages.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from justhtml import JustHTML


@dataclass
class PageReport:
    path: str
    errors: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    #: internal links: (target path from the site root, fragment or "")
    links: set[tuple[str, str]] = field(default_factory=set)


def _elements(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.name and not n.name.startswith(("#", "!")):
            yield n
        children = getattr(n, "children", None)
        if children:
            stack.extend(reversed(children))


def parse_errors(text: str, path: str = "<html>") -> list[str]:
    """Every HTML parse error of a document, as ``path:line:col: code``."""
    doc = JustHTML(text, sanitize=False, collect_errors=True, max_errors=50)
    return [f"{path}:{e.line}:{e.column}: parse error {e.code}" for e in doc.errors]


def check_page(root: Path, path: str) -> PageReport:
    report = PageReport(path)
    text = (root / path).read_text("utf-8")
    doc = JustHTML(text, sanitize=False, collect_errors=True, max_errors=50)
    report.errors += [f"{path}:{e.line}:{e.column}: parse error {e.code}" for e in doc.errors]
    ids: dict[str, int] = {}
    labels: list[str] = []
    labelled: list[str] = []
    base_dir = posixpath.dirname(path)
    has_lang = has_title = False
    for el in _elements(doc.root):
        tag = el.name
        attrs: dict[str, str | None] = el.attrs or {}
        html_ns = el.namespace == "html"
        if tag == "html" and attrs.get("lang"):
            has_lang = True
        if tag == "title" and html_ns and el.to_text().strip():
            has_title = True
        ident = attrs.get("id")
        if ident is not None:
            ids[ident] = ids.get(ident, 0) + 1
        if tag == "label" and attrs.get("for"):
            labels.append(attrs["for"] or "")
        if attrs.get("aria-labelledby"):
            labelled += (attrs["aria-labelledby"] or "").split()
        if tag == "th" and attrs.get("scope") not in ("col", "row", "colgroup", "rowgroup"):
            report.errors.append(f"{path}: <th> without scope: {el.to_text()[:40]!r}")
        if tag in ("script", "img", "iframe") or (tag == "link" and attrs.get("rel") != "icon"):
            source = attrs.get("src") or attrs.get("href") or ""
            if urlsplit(source).scheme or source.startswith("//"):
                report.errors.append(f"{path}: <{tag}> loads {source!r}")
        if tag == "a" and attrs.get("href") is not None:
            target = attrs["href"] or ""
            parts = urlsplit(target)
            if parts.scheme or parts.netloc:
                if parts.scheme not in ("http", "https"):
                    report.errors.append(f"{path}: unexpected link scheme: {target[:60]!r}")
                continue
            if not parts.path:
                report.links.add((path, unquote(parts.fragment)))
                continue
            resolved = posixpath.normpath(posixpath.join(base_dir, unquote(parts.path)))
            report.links.add((resolved, unquote(parts.fragment)))
    if not has_lang:
        report.errors.append(f"{path}: <html> has no lang")
    if not has_title:
        report.errors.append(f"{path}: no <title>")
    report.ids = set(ids)
    report.errors += [f"{path}: duplicate id {i!r}" for i, n in ids.items() if n > 1]
    report.errors += [f"{path}: label for {i!r} names no element" for i in labels if i not in ids]
    report.errors += [
        f"{path}: aria-labelledby {i!r} names no element" for i in labelled if i not in ids
    ]
    return report


def check_pages(root: str, paths: list[str]) -> list[PageReport]:
    return [check_page(Path(root), p) for p in paths]
