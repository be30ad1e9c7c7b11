"""Importers: build the catalog from pinned public sources (models.dev, LiteLLM) and the
hand-authored facts in `data/manual/`, and report everything they drop, correct or merge.

The data flows down this list (each module imports only those after it)::

    pipeline          one run: sources -> Builder -> files + IMPORT_REPORT.md
    price_report      the catalog's prices against independent sources
    models_dev/       snapshot (files) -> facts, providers -> merge (into a Builder)
    litellm/          read (file) -> keys (which are models) -> facts -> merge (into a Builder)
    report            IMPORT_REPORT.md of a build
    builder           Builder: drafts, the hand-authored overlay, sanitizing, checks, compaction
    write             file data in key order, paths, writing the tree
    draft             Draft (one offering being built), Built (the catalog), same_model
    merge             fact operations: fill, overlay_manual, compact, resolve
    manual            the hand-authored overlay
    sanitize          facts made valid against the catalog's rules
    provider_map      the provider tables (LiteLLM providers, npm packages, auth headers)
    common            sources, the import log, data helpers
"""
