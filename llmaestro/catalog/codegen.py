"""Generate ``llmaestro/llm/_records.py``: the runtime's frozen, slotted dataclasses.

The pydantic models in :mod:`llmaestro.llm.models` are the single source of truth for the
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

from llmaestro.llm import models as m

RECORDS_PATH = Path(__file__).resolve().parent.parent / "llm" / "_records.py"

#: Runtime record name -> pydantic model. Resolved classes replace the file classes.
ROOTS: dict[str, type[BaseModel]] = {
    "Provider": m.Provider,
    "CanonicalModel": m.CanonicalModel,
    "Offering": m.Offering,
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
        doc = (model.__doc__ or name).strip().replace('"""', "'''")
        lines = ["@dataclass(frozen=True, slots=True)", f"class {name}:", f'    """{doc}"""', ""]
        required = [(n, i) for n, i in model.model_fields.items() if i.is_required()]
        optional = [(n, i) for n, i in model.model_fields.items() if not i.is_required()]
        for fname, info in required + optional:
            default = "" if info.is_required() else " = None"
            lines.append(f"    {fname}: {self.type_text(info.annotation)}{default}")
            if info.description:
                desc = " ".join(info.description.split()).replace('"""', "'''")
                lines.append(f'    """{desc}"""')
        lines += ["", "    @classmethod", f"    def _from(cls, d: dict[str, Any]) -> {name}:"]
        lines.append("        g: Callable[[str], Any] = d.get")
        args = []
        for fname, info in model.model_fields.items():
            inner, _ = _unwrap(info.annotation)
            conv = self.convert(info.annotation, "v")
            if conv == "v":
                getter = f'd["{fname}"]' if info.is_required() else f'g("{fname}")'
                args.append(f"            {fname}={getter},")
            else:
                body = conv.replace("(v)", f'(g("{fname}"))').replace(" v)", f' g("{fname}"))')
                if info.is_required():
                    required_body = body.replace(f'g("{fname}")', f'd["{fname}"]')
                    args.append(f"            {fname}={required_body},")
                else:
                    args.append(
                        f'            {fname}=None if g("{fname}") is None else {body},'
                    )
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


HEADER = '''"""Runtime records of the catalog: frozen, slotted dataclasses.

GENERATED from llmaestro/llm/models.py by llmaestro/catalog/codegen.py; do not edit.
Run `make schemas` to regenerate (pre-commit fails when this file is stale).
"""

# ruff: noqa: E501
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _month_or_date(text: str) -> dt.date | str:
    return dt.date.fromisoformat(text) if len(text) == 10 else text
'''


def render_records() -> str:
    gen = _Gen()
    for name, model in ROOTS.items():
        gen.visit(model, name)
    parts = [HEADER]
    for model in gen.order:
        parts.append("\n\n" + gen.render_class(model) + "\n")
    names = sorted(gen.names[mm] for mm in gen.order)
    parts.append("\n\n__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n")
    return "".join(parts)
