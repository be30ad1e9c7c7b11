"""Render the catalog site from a registry: HTML pages (Jinja2, autoescaped) and JSON API files.

Layout of the output folder (every link in it is relative, so the site works under any path)::

    index.html                    every offering: filters, sorting, text search, chart (site.js,
                                  chart.js; the first rows as HTML, the rest in a data island)
    providers.html                every provider
    providers/<provider>.html     a provider: facts, rate limits, its offerings, a chart
    models.html                   every canonical model: providers, cheapest per-token offer
    models/<lab>/<model>.html     a canonical model: every offering of it compared
    chart.html                    input price against context window, every offering
    static/site.css, site.js,     the only assets; no framework, no CDN
      chart.js
    api/index.json                ids, pages and files (paths relative to api/index.json)
    api/catalog.json              the whole catalog in the JSON export format
    api/providers/<provider>.json one provider, its offerings and their canonical models
    api/export.schema.json        the JSON Schema of those files
    schemas/v1/<name>.schema.json the catalog files' JSON Schemas, at their `$id` URLs

File names come from :func:`llmaestro.catalog.paths.encode_id`, so any id is a safe, portable
path. A build writes into a fresh folder next to ``OUT`` and swaps it in at the end, so a
failed build never leaves half a site behind.

The work is split by noun: :mod:`.paths` (where files live, relative URLs), :mod:`.filters`
(how values are written), :mod:`.data` (the rows and views), :mod:`.models_view` (one row per
canonical model, a model page's groups), :mod:`.island` (the index's data island, from which
site.js renders the rows it shows), :mod:`.pages` (the HTML), :mod:`.api` (the JSON API); this
module prepares the folder, writes and swaps it in.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from llmaestro.errors import SiteError
from llmaestro.registry.core import Registry
from llmaestro.site.api import api_documents
from llmaestro.site.data import Site, generated_at
from llmaestro.site.pages import render_site

__all__ = ["MARKER", "STATIC", "SiteBuild", "SiteError", "build_site", "gzip_size"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
#: the site's only assets: one stylesheet, the index's and models view's script, the chart's
STATIC_FILES = ("chart.js", "site.css", "site.js")
#: A file every built site holds; a build only replaces a folder that has it (or is empty).
MARKER = ".llmaestro-site"


@dataclass(frozen=True)
class SiteBuild:
    """What a build wrote."""

    out: Path
    pages: tuple[str, ...]
    files: int
    offerings: int
    index_bytes: int
    index_gzip_bytes: int
    seconds: float

    def summary(self) -> str:
        return (
            f"{self.out}: {len(self.pages)} pages, {self.files} files, {self.offerings} "
            f"offerings; index.html {self.index_bytes / 1e6:.2f} MB "
            f"({self.index_gzip_bytes / 1e6:.3f} MB gzip) in {self.seconds:.1f} s"
        )


def gzip_size(data: bytes) -> int:
    """Bytes on the wire with gzip at level 6 (web servers' usual setting)."""
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def _prepare(out: Path) -> None:
    here = Path.cwd().resolve()
    if out == here or out in here.parents:
        raise SiteError(f"{out}: the current folder (or one above it); choose a new folder")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(
            f"{out}: folder is not empty and holds no site built by llmaestro; "
            "refusing to replace it (choose an empty or new folder)"
        )


def _write(tmp: Path, path: str, text: str | bytes) -> None:
    target = (tmp / path).resolve()
    if tmp.resolve() not in target.parents:  # pragma: no cover - encode_id forbids it
        raise SiteError(f"refusing to write outside the site: {path}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, "utf-8")


def build_site(
    registry: Registry,
    out: str | os.PathLike[str],
    *,
    generated: dt.datetime | str | None = None,
) -> SiteBuild:
    """Build the site of ``registry`` into the folder ``out`` (created or replaced).

    ``out`` must be missing, empty, or a site an earlier build wrote; anything else raises
    :class:`SiteError` rather than deleting files.
    """
    if os.fspath(out) == "-":
        raise SiteError("-: the site is a folder of pages; give a folder to --out")
    start = time.perf_counter()
    target = Path(out).resolve()
    _prepare(target)
    stamp = generated_at(generated)
    site = Site(registry, stamp)
    pages = render_site(site)
    files: dict[str, str | bytes] = dict(pages)
    files.update(api_documents(registry, stamp, site))
    for name in STATIC_FILES:
        files[f"static/{name}"] = (STATIC / name).read_bytes()
    files[".nojekyll"] = b""
    files[MARKER] = f"built by llmaestro site build at {stamp}\n"

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        for path, text in files.items():
            _write(tmp, path, text)
        tmp.chmod(0o755)
        old: Path | None = None
        if target.exists():
            old = target.with_name(f".{target.name}-old-{os.getpid()}")
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        # a full disk names no file: say which site could not be written (the old one stays)
        raise SiteError(f"{target}: cannot write the site: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    index = pages["index.html"].encode("utf-8")
    return SiteBuild(
        out=target,
        pages=tuple(sorted(pages)),
        files=len(files),
        offerings=len(site.rows),
        index_bytes=len(index),
        index_gzip_bytes=gzip_size(index),
        seconds=time.perf_counter() - start,
    )
