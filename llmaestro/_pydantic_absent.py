"""Stand-ins for pydantic's names on the core install (no pydantic).

A module that defines pydantic models next to plain vocabulary (literals, enums, constants)
imports its pydantic names from here when pydantic is not installed::

    if typing.TYPE_CHECKING or installed("pydantic"):
        from pydantic import BaseModel, Field
    else:  # the core install: the vocabulary imports, the models raise
        from llmaestro._pydantic_absent import BaseModel, Field
    ...
    if not typing.TYPE_CHECKING and not installed("pydantic"):
        __getattr__ = hide_models(globals(), "the catalog data model")

so that ``from module import KINDS`` works, while ``from module import Offering`` raises
:class:`~llmaestro.errors.MissingDependencyError` naming ``pip install 'llmaestro[authoring]'``.
Every other name (``Field``, ``ConfigDict``, ``field_validator``...) is one inert object that
accepts any call and returns itself; nothing here ever validates anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["BaseModel", "ValidationError", "hide_models"]


class BaseModel:
    """Stands in for ``pydantic.BaseModel``; :func:`hide_models` removes its subclasses."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__()


class ValidationError(ValueError):
    """Stands in for ``pydantic.ValidationError`` in ``except`` clauses; never raised."""


class _Inert:
    """``Field(...)``, ``ConfigDict(...)``, ``@field_validator(...)``: returns itself."""

    def __call__(self, *args: Any, **kwargs: Any) -> _Inert:
        return self

    def __getattr__(self, name: str) -> _Inert:
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __repr__(self) -> str:
        return "<pydantic is not installed>"


_INERT = _Inert()


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return _INERT


def hide_models(namespace: dict[str, Any], feature: str) -> Callable[[str], Any]:
    """Remove the stand-in models from a module's ``namespace``; return the module's
    ``__getattr__``, which raises MissingDependencyError for each of them."""
    from llmaestro._optional import missing

    module = namespace["__name__"]
    hidden = {
        name
        for name, value in namespace.items()
        if isinstance(value, type) and issubclass(value, BaseModel)
    }
    for name in hidden:
        del namespace[name]

    def __getattr__(name: str) -> Any:
        if name in hidden:
            raise missing(f"{module}.{name} ({feature})", ["pydantic"])
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
