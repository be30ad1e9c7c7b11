"""When the merged offering alone decides whether an offering file is valid.

An offering with ``base:`` is validated twice: the file alone (:class:`OfferingFile`: its own
problems, located in it) and the file merged over its canonical model (:class:`Offering`, the
resolved object). When the merged data validates, the file alone validates too, provided

* no model of the data has a model validator, and its field validators look at their own
  value only (so a value valid in the merged data is valid in the file, where it is the same);
* every mapping the file gives for a model field (merged key by key with the base's) holds
  that model's required keys itself (the base may have supplied them to the merged data);
* no such field is a union of models (the file's part could match no member).

:func:`file_alone_is_implied` tells whether a file's data meets the last two; :data:`SAFE`
whether the models meet the first (a test holds it True: a new validator there must look at
this module). Where both hold, a valid merge spares the file's own validation.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Union

from pydantic import BaseModel

from llmaestro.catalog.model import OfferingFile

#: the field validators known to look at their own value only
_VALUE_LOCAL_VALIDATORS = frozenset({"_absent_not_null"})

#: a field's shape: a model, a mapping of str to a shape, or a union of models (unsafe)
_Shape = tuple[str, Any]


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _shape(annotation: Any) -> _Shape | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        shapes = [_shape(a) for a in members]
        found = [s for s in shapes if s is not None]
        if not found:
            return None
        return found[0] if len(members) == 1 else ("unsafe", None)
    if origin is dict:
        inner = _shape(typing.get_args(annotation)[1])
        return ("dict", inner) if inner is not None else None
    return None  # scalars, and sequences (replaced whole by the merge, never merged)


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.add(model)
    for field in model.model_fields.values():
        stack = [field.annotation]
        while stack:
            annotation = _unwrap(stack.pop())
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                _models(annotation, seen)
            else:
                stack.extend(typing.get_args(annotation))


def _safe() -> bool:
    seen: set[type[BaseModel]] = set()
    _models(OfferingFile, seen)
    for model in seen:
        decorators = model.__pydantic_decorators__
        if decorators.model_validators or decorators.root_validators:
            return False
        if set(decorators.field_validators) - _VALUE_LOCAL_VALIDATORS:
            return False
        for name, field in model.model_fields.items():
            if (field.alias or name) != name or field.validation_alias is not None:
                return False
    return True


#: the models meet the first condition of the module's documentation
SAFE = _safe()

#: what must hold of a mapping given for a model: its required keys, and per field whose
#: value nests something to check, that check (a field nesting nothing required is left out)
_Plan = tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]
_PLANS: dict[type[BaseModel], Any] = {}
_UNSAFE = ("unsafe", None)
_PLANNING: Any = ("planning", None)


def _plan_of_shape(shape: _Shape | None) -> Any:
    if shape is None:
        return None
    kind, inner = shape
    if kind == "model":
        if _PLANS.get(inner, ...) is _PLANNING:
            return _UNSAFE  # a model nesting itself: not looked into, so not trusted
        plan = _plan(inner)
        return None if plan is None else ("model", plan)
    if kind == "dict":
        sub = _plan_of_shape(inner)
        return None if sub is None else ("dict", sub)
    return _UNSAFE


def _plan(model: type[BaseModel]) -> _Plan | None:
    if model in _PLANS:
        known: _Plan | None = _PLANS[model]
        return known
    _PLANS[model] = _PLANNING
    required = tuple(name for name, f in model.model_fields.items() if f.is_required())
    nested = tuple(
        (name, sub)
        for name, f in model.model_fields.items()
        if (sub := _plan_of_shape(_shape(f.annotation))) is not None
    )
    plan = (required, nested) if required or nested else None
    _PLANS[model] = plan
    return plan


def _holds(value: Any, check: Any) -> bool:
    kind, inner = check
    if kind == "unsafe":
        return False
    if kind == "dict":
        return all(_holds(v, inner) for v in value.values() if v.__class__ is dict)
    required, nested = inner
    for name in required:
        if name not in value:
            return False
    for name, sub in nested:
        child = value.get(name)
        # a non-mapping stays as it is in the merged data (and fails there too)
        if child.__class__ is dict and not _holds(child, sub):
            return False
    return True


_ROOT = _plan(OfferingFile)


def file_alone_is_implied(data: dict[str, Any]) -> bool:
    """Whether an offering file's data validates alone whenever its merge validates."""
    return SAFE and (_ROOT is None or _holds(data, ("model", _ROOT)))
