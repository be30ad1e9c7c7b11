"""Turn pydantic validation errors into located diagnostics with hints."""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from llmaestro._http.redact import looks_like_secret
from llmaestro.catalog.diagnostics import MAX_PER_FILE, Diagnostic, clip, escape_pointer_token
from llmaestro.catalog.yamlread import YamlDocument


def describe(value: Any) -> str:
    """A short, human description of a YAML value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        text = str(value)  # the reader keeps numbers to MAX_NUMBER_DIGITS, so this converts
        return f"number {clip(text)}" + (f" ({len(text)} digits)" if len(text) > 60 else "")
    if isinstance(value, dt.datetime):
        return f"timestamp {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date {value.isoformat()}"
    if isinstance(value, str):
        if looks_like_secret(value):
            return "a string that looks like a key (not shown)"
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'string "{shown}"'
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, tuple | list):
        return "a list"
    return type(value).__name__  # pragma: no cover


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, tuple):
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                found.extend(_models_in(arg))
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Names of the fields allowed at a location (for "did you mean" hints)."""
    current: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for cls in current:
            info = cls.model_fields.get(part)
            if info is not None:
                nxt.extend(_models_in(info.annotation))
        if not nxt:
            return []
        current = nxt
    names: list[str] = []
    for cls in current:
        names.extend(n for n in cls.model_fields if n not in names)
    return names


def _data_pointer(data: Any, loc: tuple[str | int, ...]) -> tuple[str, tuple[str | int, ...]]:
    """Keep the loc parts that walk the data (pydantic adds union-member tags)."""
    ptr = ""
    kept: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, tuple | list) and isinstance(part, int) and part < len(node)
        if in_dict or in_list:
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and kept[-1:] != [part]:
            # a missing or unknown key: it still names the place
            ptr += "/" + escape_pointer_token(part)
            kept.append(part)
            node = None
            continue
        else:
            continue
        ptr += "/" + escape_pointer_token(part)
        kept.append(part)
    return ptr, tuple(kept)


def _close(word: str, options: list[str]) -> list[str]:
    """The option ``word`` was probably meant to be (none for a long text: no id is long)."""
    return difflib.get_close_matches(word, options, n=1, cutoff=0.6) if len(word) <= 80 else []


_TYPE_NAMES = {
    "string_type": "a string",
    "int_type": "an integer",
    "bool_type": "`true` or `false`",
    "decimal_type": "a number",
    "date_type": "a date YYYY-MM-DD",
    "tuple_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
    "finite_number": "a finite number",
}


def pydantic_diagnostics(
    exc: ValidationError, model: type[BaseModel], doc: YamlDocument, path: str
) -> list[Diagnostic]:
    """One diagnostic per pydantic error, deduplicated by pointer and kind."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    errors = exc.errors(include_url=False)
    if len(errors) > MAX_PER_FILE + 1:
        # what is printed of them (sorted_capped): the rest are counted where the first stands
        rest = errors[MAX_PER_FILE:]
        errors = errors[:MAX_PER_FILE]
        ptr, _ = _data_pointer(doc.data, tuple(rest[0]["loc"]))
        line, column = doc.position(ptr)
        out.append(
            Diagnostic(
                path,
                line,
                column,
                "LM012",
                ptr,
                f"and {len(rest)} more schema problems in this file, not shown, from here on",
            )
        )
    for err in errors:
        loc = tuple(err["loc"])
        ptr, kept = _data_pointer(doc.data, loc)
        etype = err["type"]
        key = (ptr, etype)
        if key in seen:
            continue
        seen.add(key)
        value = err.get("input")
        found: str | None = describe(value)
        expected: str | None = None
        hint: str | None = None
        name = clip(str(kept[-1]), 80) if kept else ""
        if kept and isinstance(kept[-1], int):
            parent = next((str(k) for k in reversed(kept) if isinstance(k, str)), "")
            name = f"{parent}[{kept[-1]}]"
        if etype == "extra_forbidden":
            allowed = fields_at(model, kept[:-1])
            message = f"unknown key `{name}`"
            found = None
            close = _close(name, allowed)
            if close:
                hint = f"did you mean `{close[0]}`?"
            elif allowed:
                expected = "one of " + ", ".join(f"`{a}`" for a in allowed)
            line, column = doc.position(ptr, key=True)
        elif etype == "missing":
            message = f"required key `{name}` is missing"
            found = None
            line, column = doc.position(ptr.rsplit("/", 1)[0])
        elif etype == "explicit_null":
            message = f"`{name}` is null"
            found = None
            hint = 'delete the key: leaving a key out is the one way to say "unknown"'
            line, column = doc.position(ptr, key=True)
        else:
            message = f"invalid value for `{name}`" if name else "invalid document"
            ctx = err.get("ctx") or {}
            if etype in _TYPE_NAMES:
                expected = _TYPE_NAMES[etype]
                message = f"`{name}` must be {expected}" if name else f"must be {expected}"
                if etype == "string_type" and isinstance(value, int | Decimal | bool | dt.date):
                    hint = f'quote it ("{clip(str(value))}") if a string is meant'
                if etype == "date_type" and isinstance(value, str):
                    hint = "write the date unquoted as YYYY-MM-DD"
            elif etype in ("is_instance_of", "decimal_parsing"):
                expected = "a number"
                message = f"`{name}` must be a number"
                if isinstance(value, str):
                    hint = "write the number unquoted, without a currency sign (USD is implied)"
            elif etype == "literal_error":
                expected = "one of " + str(ctx.get("expected", ""))
                message = f"`{name}` is not an allowed value"
                if isinstance(value, str):
                    options = [o.strip(" '") for o in str(ctx.get("expected", "")).split(",")]
                    options = [o.removeprefix("or ").strip(" '") for o in options]
                    close = _close(value, options)
                    if close:
                        hint = f"did you mean `{close[0]}`?"
            elif etype in ("greater_than_equal", "greater_than"):
                bound = ctx.get("ge", ctx.get("gt"))
                sign = "≥" if etype == "greater_than_equal" else ">"
                expected = f"a value {sign} {bound}"
                message = f"`{name}` is out of range"
            elif etype == "string_pattern_mismatch":
                expected = f"text matching `{ctx.get('pattern')}`"
                message = f"`{name}` has the wrong form"
                if "/auth/" in ptr and isinstance(value, str) and not looks_like_secret(value):
                    # a value where only environment-variable names belong is often a key
                    # pasted by mistake, of any shape: never echoed
                    found = "a string (not shown)"
                    hint = "name the environment variable that holds the key, never the key"
            elif etype in ("string_too_short", "string_too_long"):
                expected = str(err["msg"]).replace("String should have ", "")
                message = f"`{name}` has the wrong length"
            else:
                message = f"`{name}`: {err['msg']}" if name else str(err["msg"])
            line, column = doc.position(ptr)
        out.append(Diagnostic(path, line, column, "LM012", ptr, message, found, expected, hint))
    return out
