"""The index page stays small: under 1.5 MB gzip-compressed, for the repository catalog as it
is and for a synthetic catalog of 6,000 offerings. Sizes are printed and written to
build/test-artefacts/site/sizes.json (LLMAESTRO_TEST_ARTEFACTS)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmaestro.site.build import SiteBuild, gzip_size
from tests.site.conftest import BIG

LIMIT = 1_500_000  # bytes, gzip


def _report(artifacts: Path, key: str, value: dict[str, object]) -> None:
    path = artifacts / "sizes.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[key] = value
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def test_index_of_the_catalog_is_under_limit(
    site: SiteBuild, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (site.out / "index.html").read_bytes()
    assert site.index_bytes == len(raw)
    assert site.index_gzip_bytes == gzip_size(raw)
    pages = sum((site.out / p).stat().st_size for p in site.pages)
    with capsys.disabled():
        print(
            f"\n[site] catalog of {site.offerings} offerings: index.html {len(raw):,} bytes, "
            f"{site.index_gzip_bytes:,} gzip (limit {LIMIT:,}); {len(site.pages)} pages, "
            f"{pages:,} bytes of HTML; built in {site.seconds:.1f} s"
        )
    _report(
        artifacts,
        "catalog",
        {
            "offerings": site.offerings,
            "index_bytes": len(raw),
            "index_gzip_bytes": site.index_gzip_bytes,
            "pages": len(site.pages),
            "html_bytes": pages,
            "build_seconds": round(site.seconds, 2),
        },
    )
    assert site.index_gzip_bytes < LIMIT


def test_index_of_6000_offerings_is_under_limit(
    big_site: Path, artifacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = (big_site / "index.html").read_bytes()
    island = raw.split(b'<script type="application/json" id="data">', 1)[1].split(b"</script>")[0]
    assert len(json.loads(island)["rows"]) == BIG  # every offering, in the data island
    size = gzip_size(raw)
    with capsys.disabled():
        print(f"\n[site] synthetic {BIG} offerings: index.html {len(raw):,} bytes, {size:,} gzip")
    _report(
        artifacts,
        "synthetic",
        {"offerings": BIG, "index_bytes": len(raw), "index_gzip_bytes": size},
    )
    assert size < LIMIT
    # what grows with the catalog is the rows: a few hundred bytes each, about 50 compressed
    assert size / BIG < 120
