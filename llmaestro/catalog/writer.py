"""Writing catalog YAML: the `$schema` line first, keys in schema order, values that read back
exactly (numbers as written, dates unquoted, hazardous strings quoted), atomically.

New files are rendered from plain data; edits to existing files go through ruamel.yaml's
round-trip mode (:func:`load_roundtrip` / :func:`dump_roundtrip`) so comments, key order,
quoting and blank lines survive.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from llmaestro._atomic import current_bytes, write_text_atomic
from llmaestro.catalog.yamlread import resolve_plain

#: NEL, U+2028, U+2029: line breaks to YAML 1.1 and to ruamel's emitter, never to an editor
#: (the reader refuses them raw, llmaestro.catalog.yamlread)
_YAML_ONLY_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(rep: RoundTripRepresenter, value: str) -> Any:
    style = None
    if _YAML_ONLY_BREAKS.search(value):
        style = '"'  # escaped there; plain, quoted or block, YAML 1.1 emitters write them raw
    elif "\n" in value:
        style = "|"
    elif resolve_plain(value) != value or value != value.strip() or value == "":
        style = "'"
    return rep.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_decimal(rep: RoundTripRepresenter, value: Decimal) -> Any:
    text = format(value, "f")  # positional, never `1.5E-7`
    if "." not in text:
        # a whole number: written as an integer, read back as Decimal by the price fields
        return rep.represent_scalar("tag:yaml.org,2002:int", text)
    return rep.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_date(rep: RoundTripRepresenter, value: dt.date) -> Any:
    return rep.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    rep = y.representer
    rep.ignore_aliases = lambda data: True  # equal values written twice, never as &anchor/*alias
    rep.add_representer(str, _represent_str)
    rep.add_representer(Decimal, _represent_decimal)
    rep.add_representer(dt.date, _represent_date)
    return y


#: keys written first, in this order; the rest keep the model's order; `provenance` goes last
LEADING_KEYS = (
    "id",
    "base",
    "base_omit",
    "tier",
    "models",
    "source",
    "above_tokens",
    "effective",
    "until",
    "name",
    "description",
    "family",
    "kind",
    "aliases",
    "open_weights",
    "license",
    "knowledge_cutoff",
    "style",
    "status",
)
_RANK = {key: i for i, key in enumerate(LEADING_KEYS)}
_LAST = {"provenance": 1}


def key_order(keys: Sequence[str], fields: Sequence[str] = ()) -> list[str]:
    """``keys`` in the catalog's order: the leading keys, then ``fields`` order (the data
    model's), then as given; `provenance` last."""
    positions = {key: i for i, key in enumerate(keys)}
    known = {key: i for i, key in enumerate(fields)}
    return sorted(
        keys,
        key=lambda k: (
            _LAST.get(k, 0),
            _RANK.get(k, len(_RANK)),
            known.get(k, len(known)),
            positions[k],
        ),
    )


def is_flow_list(values: Sequence[Any]) -> bool:
    """Lists of scalars are written on one line (`[a, b]`), lists of mappings as blocks."""
    return all(isinstance(v, str | int | Decimal) for v in values)


def flow_item(value: Any) -> Any:
    """An item of a one-line list: quoted where the strict (YAML 1.1) reader would stop at a
    `:` or read a `?` as a key, which ruamel (YAML 1.2) writes plain (`[a:b]`)."""
    if isinstance(value, str) and (":" in value or value.startswith("?")) and "\n" not in value:
        return SingleQuotedScalarString(value)
    return value


def _to_commented(value: Any, *, flow_lists: bool = True) -> Any:
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_none=True)
    if isinstance(value, Mapping):
        out = CommentedMap()
        for key in key_order(list(value)):
            item = value[key]
            if item is not None:
                out[key] = _to_commented(item)
        return out
    if isinstance(value, Sequence) and not isinstance(value, str):
        if flow_lists and is_flow_list(value):
            seq = CommentedSeq(flow_item(_to_commented(v)) for v in value)
            seq.fa.set_flow_style()
            return seq
        return CommentedSeq(_to_commented(v) for v in value)
    return value


def render(data: Mapping[str, Any] | BaseModel, schema_comment: str) -> str:
    """A whole catalog file: the `$schema` comment line, then the mapping."""
    stream = io.StringIO()
    stream.write(schema_comment + "\n")
    _yaml().dump(_to_commented(data), stream)
    return stream.getvalue()


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically write ``text`` unless the file already holds it; True when written. A FIFO
    or device is refused (:class:`~llmaestro.errors.NotRegularFileError`), never read."""
    if current_bytes(path) == text.encode("utf-8"):
        return False
    write_text_atomic(path, text)
    return True


def load_roundtrip(text: str) -> Any:
    """Load YAML for a minimal edit (comments, order and quoting kept)."""
    return _yaml().load(text)


def dump_roundtrip(document: Any) -> str:
    stream = io.StringIO()
    _yaml().dump(document, stream)
    return stream.getvalue()
