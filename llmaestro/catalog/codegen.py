"""Generate ``llmaestro/_records.py``: the runtime's frozen, slotted dataclasses.

The pydantic models in :mod:`llmaestro.catalog.model` are the single source of truth for the
catalog's shape. Importing pydantic and building those models costs ~150 ms, which the
runtime (``import llmaestro; llmaestro.load()``) cannot afford, so the runtime reads plain
records generated from the same models: one dataclass per model, same field names, same
docstrings, plus a ``_from(d)`` constructor that turns the bundle's JSON (Decimal and dates as
strings) into typed values. ``make schemas`` regenerates this file with the JSON Schemas and
``llmaestro schemas --check`` fails when it is stale.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from llmaestro.catalog import model as m

RECORDS_PATH = Path(__file__).resolve().parent.parent / "_records.py"

#: Runtime record name -> pydantic model. Resolved classes replace the file classes.
ROOTS: dict[str, type[BaseModel]] = {
    "Provider": m.Provider,
    "CanonicalModel": m.CanonicalModel,
    "Offering": m.Offering,
}

#: Root record name -> (the expression of its id, the id's description). The catalog's
#: optional ``id`` field must equal the id given by the file's path, so every record carries
#: that id: given or not, ``Offering.id == "openai/gpt-4o"``.
DERIVED_IDS: dict[str, tuple[str, str]] = {
    "Provider": ("provider", "The provider's id (the folder name), e.g. `openai`."),
    "CanonicalModel": (
        'f"{lab}/{model}"',
        "The model's id, `lab/model`, e.g. `anthropic/claude-sonnet-4-5`.",
    ),
    "Offering": (
        'f"{provider}/{model}"',
        "The offering's id, `provider/model`, e.g. `openai/gpt-4o`.",
    ),
}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) with Annotated and `| None` removed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) < len(typing.get_args(annotation)):
                optional = True
            if len(args) == 1:
                annotation = args[0]
                continue
            annotation = typing.Union[tuple(args)]  # noqa: UP007
        return annotation, optional


class _Gen:
    def __init__(self) -> None:
        self.order: list[type[BaseModel]] = []
        self.names: dict[type[BaseModel], str] = {}

    def visit(self, model: type[BaseModel], name: str | None = None) -> None:
        if model in self.names:
            return
        self.names[model] = name or model.__name__
        for info in model.model_fields.values():
            for sub in _models_in(info.annotation):
                self.visit(sub)
        self.order.append(model)

    def type_text(self, annotation: Any) -> str:
        inner, optional = _unwrap(annotation)
        text = self._type_text(inner)
        return f"{text} | None" if optional else text

    def _type_text(self, inner: Any) -> str:
        origin = typing.get_origin(inner)
        if origin is tuple:
            (item,) = [a for a in typing.get_args(inner) if a is not Ellipsis]
            return f"tuple[{self._type_text(_unwrap(item)[0])}, ...]"
        if origin is typing.Literal:
            return "str"
        if origin in (typing.Union, types.UnionType):
            return " | ".join(self._type_text(_unwrap(a)[0]) for a in typing.get_args(inner))
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return self.names[inner]
        return {Decimal: "Decimal", dt.date: "dt.date", int: "int", str: "str", bool: "bool"}[inner]

    def convert(self, annotation: Any, expr: str) -> str:
        inner, _ = _unwrap(annotation)
        origin = typing.get_origin(inner)
        if origin is tuple:
            (item,) = [a for a in typing.get_args(inner) if a is not Ellipsis]
            item_inner, _ = _unwrap(item)
            if isinstance(item_inner, type) and issubclass(item_inner, BaseModel):
                return f"tuple({self.names[item_inner]}._from(x) for x in {expr})"
            return f"tuple({expr})"
        if origin in (typing.Union, types.UnionType):
            return f"_month_or_date({expr})"
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return f"{self.names[inner]}._from({expr})"
        if inner is Decimal:
            return f"Decimal({expr})"
        if inner is dt.date:
            return f"_date({expr})"
        return expr

    def render_class(self, model: type[BaseModel]) -> str:
        name = self.names[model]
        doc = (model.__doc__ or name).strip().replace(QQQ, "'''")
        required = [(n, i) for n, i in model.model_fields.items() if i.is_required()]
        optional = [(n, i) for n, i in model.model_fields.items() if not i.is_required()]
        ordered = required + optional
        lines = [f"class {name}(_Record):", f"    {QQQ}{doc}{QQQ}", ""]
        lines.append("    __slots__ = {")
        derived = DERIVED_IDS.get(name)
        for fname, info in ordered:
            desc = " ".join((info.description or "").split()).replace('"', "'")
            if derived is not None and fname == "id":
                desc = derived[1]
            lines.append(f'        "{fname}": "{desc}",')
        lines.append("    }")
        lines.append(f"    _fields = {tuple(f for f, _ in ordered)!r}")
        lines.append("")
        for fname, info in ordered:
            text = (
                "str" if derived is not None and fname == "id" else self.type_text(info.annotation)
            )
            lines.append(f"    {fname}: {text}")
        params = ", ".join(
            f"{f}: {self.type_text(i.annotation)}" + ("" if i.is_required() else " = None")
            for f, i in ordered
        )
        lines += ["", f"    def __init__(self, {params}) -> None:"]
        for fname, _ in ordered:
            value = fname
            if derived is not None and fname == "id":
                value = f"{derived[0]} if id is None else id"
            lines.append(f'        _set(self, "{fname}", {value})')
        lines += ["", "    @classmethod", f"    def _from(cls, d: dict[str, Any]) -> {name}:"]
        lines.append("        g: Callable[[str], Any] = d.get")
        args = []
        for fname, info in ordered:
            conv = self.convert(info.annotation, "v")
            if conv == "v":
                getter = f'd["{fname}"]' if info.is_required() else f'g("{fname}")'
                args.append(f"            {getter},")
            else:
                body = conv.replace("(v)", f'(g("{fname}"))').replace(" v)", f' g("{fname}"))')
                if info.is_required():
                    required_body = body.replace(f'g("{fname}")', f'd["{fname}"]')
                    args.append(f"            {required_body},")
                else:
                    args.append(f'            None if g("{fname}") is None else {body},')
        lines.append("        return cls(")
        lines += args
        lines.append("        )")
        return "\n".join(lines)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    inner, _ = _unwrap(annotation)
    origin = typing.get_origin(inner)
    if origin in (tuple, typing.Union, types.UnionType):
        found = []
        for arg in typing.get_args(inner):
            if arg is not Ellipsis:
                found += _models_in(arg)
        return found
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return [inner]
    return []


QQQ = '"' * 3

HEADER = (
    QQQ
    + """Runtime records of the catalog: frozen, slotted value objects.

GENERATED from llmaestro/catalog/model.py by llmaestro/catalog/codegen.py; do not edit.
Run `make schemas` to regenerate (pre-commit fails when this file is stale).

Plain classes rather than dataclasses: creating 19 dataclasses costs ~15 ms at import, which
`import llmaestro` cannot afford. Each record is immutable (assignment raises
FrozenRecordError, an AttributeError), compares and hashes by value, and lists its fields in
`_fields`.
"""
    + QQQ
    + """

# ruff: noqa: E501
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from llmaestro.errors import FrozenRecordError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

_set = object.__setattr__


class _Record:
    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenRecordError(f"{type(self).__name__} is immutable; cannot set `{name}`")

    def __delattr__(self, name: str) -> None:
        raise FrozenRecordError(f"{type(self).__name__} is immutable; cannot delete `{name}`")

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f}={v!r}" for f in self._fields if (v := getattr(self, f)) is not None
        )
        return f"{type(self).__name__}({shown})"

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (self.__class__, self._values())


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _month_or_date(text: str) -> dt.date | str:
    return dt.date.fromisoformat(text) if len(text) == 10 else text
"""
)


def render_records() -> str:
    gen = _Gen()
    for name, model in ROOTS.items():
        gen.visit(model, name)
    parts = [HEADER]
    for model in gen.order:
        parts.append("\n\n" + gen.render_class(model) + "\n")
    names = sorted([gen.names[mm] for mm in gen.order] + ["FrozenRecordError"])
    parts.append("\n\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n")
    return "".join(parts)
