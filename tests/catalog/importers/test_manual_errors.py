"""An invalid hand-authored file is a ManualError: part of the one hierarchy (a CatalogError),
and still a ValueError for callers that caught that."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmaestro.catalog.importers.manual import ManualError, load_manual
from llmaestro.errors import CatalogError, LLMaestroError


def test_an_invalid_manual_file_is_a_catalog_error(tmp_path: Path) -> None:
    provider = tmp_path / "providers" / "acme" / "provider.yaml"
    provider.parent.mkdir(parents=True)
    provider.write_text("name: Acme\nunknown_key: 1\n")
    with pytest.raises(ManualError, match=r"provider\.yaml") as caught:
        load_manual(tmp_path)
    assert isinstance(caught.value, CatalogError)
    assert isinstance(caught.value, LLMaestroError)
    assert isinstance(caught.value, ValueError)
