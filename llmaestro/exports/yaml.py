"""The YAML export: the JSON export's document in YAML (needs PyYAML, the ``yaml`` extra)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from llmaestro._formats import EXPORT_SCHEMA_ID as SCHEMA_ID
from llmaestro._optional import import_module
from llmaestro.exports.document import export_document
from llmaestro.registry.core import Registry

_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def export_yaml(registry: Registry, *, generated: dt.datetime | str | None = None) -> str:
    """The same document as :func:`export_json`, in YAML (prices stay quoted strings)."""
    yaml = import_module("yaml", "export --format yaml")

    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]
        """PyYAML writes NEL, U+2028 and U+2029 raw, as YAML 1.1 line breaks, which a YAML 1.2
        reader (and an editor) does not see: a text holding one is double-quoted, where they
        are escaped (``\\N``, ``\\L``, ``\\P``)."""

    def represent_str(dumper: Any, value: str) -> Any:
        style = '"' if _YAML_ONLY_BREAKS.search(value) else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent_str)
    doc = export_document(registry, generated=generated)
    body = yaml.dump(
        doc, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"# yaml-language-server: $schema={SCHEMA_ID}\n{body}"
