"""Importers: build the catalog from pinned public sources (models.dev, LiteLLM) and the
hand-authored facts in `data/manual/`, and report everything they drop, correct or merge."""
