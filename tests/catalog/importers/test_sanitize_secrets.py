"""An imported value that looks like a key is dropped and logged masked: the import log
becomes the import report (a pull request body), so neither the value nor a field path made
of it may show the key."""

from __future__ import annotations

import datetime as dt

from llmaestro.catalog.importers.common import ImportLog
from llmaestro.catalog.importers.sanitize import sanitize

KEY = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4NmLk3Ji2Hg1Fe0"


def test_secret_values_and_keys_are_dropped_and_logged_masked() -> None:
    log = ImportLog()
    facts = {"name": "Acme", "docs_url": f"https://example.com/docs?key={KEY}"}
    clean = sanitize(
        facts,
        "provider",
        {"provider": "acme"},
        target="acme",
        log=log,
        origin=lambda path: "models.dev providers/acme",
        today=dt.date(2026, 1, 1),
    )
    assert clean == {"name": "Acme"}
    (change,) = log.changes
    shown = " ".join([change.field, change.value, change.why, change.source])
    assert "LM037" in change.why
    assert KEY not in shown and KEY[8:20] not in shown
    assert "***" in change.value
