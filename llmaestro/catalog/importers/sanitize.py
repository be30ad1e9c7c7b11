"""Validate imported facts with the catalog's own schema and rules, and prune what breaks them.

An imported value that breaks a rule (output above the context window, an impossible date, a
cache read dearer than input …) must not reach the catalog. :func:`sanitize` runs the data model
and every semantic rule of :mod:`llmaestro.catalog.rules` on the facts, removes the value each
problem points at (the whole tier for a bad tier threshold, the whole object for a missing
required key), logs it, and repeats until the facts are clean.

What the log and the errors show passes :func:`llmaestro._http.redact.redact` first: a value
removed because it looks like a key (LM037) is logged masked, and so is a field path made of
such a key, since the import log ends up in reports and pull requests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from llmaestro._http.redact import redact, safe_text
from llmaestro.catalog import rules
from llmaestro.catalog.importers.common import (
    MISSING,
    Facts,
    ImportLog,
    child,
    copy_data,
    delete_path,
    dotted,
    get_path,
)
from llmaestro.catalog.importers.context import extended_window
from llmaestro.catalog.model import CanonicalModel, Offering, Provider

Kind = Literal["offering", "canonical", "provider"]
Path = tuple[str | int, ...]
Origin = Callable[[Path], str]

_MODELS: dict[Kind, type[BaseModel]] = {
    "offering": Offering,
    "canonical": CanonicalModel,
    "provider": Provider,
}


class UnusableFacts(Exception):
    """The facts cannot be made valid by removing values (e.g. an offering without a kind)."""


def as_model_input(value: Any) -> Any:
    """Lists become tuples: the data model is strict and frozen."""
    if isinstance(value, dict):
        return {k: as_model_input(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return tuple(as_model_input(v) for v in value)
    return value


def _masked(value: Any) -> Any:
    """``value`` with every string (and mapping key) in it redacted, for the log."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {_masked(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_masked(v) for v in value)
    return value


def _field(path: Path) -> str:
    return safe_text(dotted(path))


def parse_pointer(ptr: str) -> Path:
    parts: list[str | int] = []
    for token in ptr.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        parts.append(int(token) if token.isdigit() else token)
    return tuple(parts)


def _existing_prefix(data: Any, loc: tuple[Any, ...]) -> Path:
    """The longest prefix of a pydantic error location that names a value in ``data``."""
    out: list[str | int] = []
    node: Any = data
    for part in loc:
        if not isinstance(part, str | int):
            break
        node = child(node, part)
        if node is MISSING:
            break
        out.append(part)
    return tuple(out)


def _schema_problems(data: Facts, kind: Kind, ids: dict[str, str]) -> list[tuple[Path, str]]:
    try:
        model = _MODELS[kind].model_validate(as_model_input({**data, **ids}))
    except ValidationError as exc:
        found: list[tuple[Path, str]] = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = _existing_prefix(data, loc)
            # a missing required key: `path` is the object that lacks it, which goes
            if not path:
                where = safe_text(".".join(map(str, loc)))
                raise UnusableFacts(f"{where}: {safe_text(err['msg'])}") from None
            found.append((path, f"schema: {err['msg']}"))
        return found
    del model
    return []


def _rule_problems(
    data: Facts, kind: Kind, ids: dict[str, str], today: dt.date, ignore: frozenset[str]
) -> list[tuple[Path, str]]:
    model = _MODELS[kind].model_validate(as_model_input({**data, **ids}))
    if isinstance(model, Offering):
        model = _with_extended_window(model, ids)
    problems: list[tuple[Path, str]] = []

    def report(
        code: str,
        ptr: str,
        message: str,
        *,
        found: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> None:
        if severity != "error" or code in ignore:
            return
        why = f"{code} {message}"
        details = [f"found {found}"] if found else []
        details += [f"expected {expected}"] if expected else []
        if details:
            why += f" ({', '.join(details)})"
        path = parse_pointer(ptr)
        if code == "LM022" and path and path[-1] == "above_tokens":
            path = path[:-1]
        if code == "LM035" or not path:
            raise UnusableFacts(safe_text(why))
        problems.append((path, why))

    rep: Any = report
    if kind == "offering":
        assert isinstance(model, Offering)
        rules.check_offering(model, rep, today)
    elif kind == "canonical":
        assert isinstance(model, CanonicalModel)
        rules.check_canonical(model, rep, today)
    else:
        assert isinstance(model, Provider)
        rules.check_provider(model, rep)
    for ptr, redacted in rules.find_secrets(data):
        problems.append((parse_pointer(ptr), f"LM037 looks like an API key ({redacted})"))
    return problems


def _with_extended_window(model: Offering, ids: dict[str, str]) -> Offering:
    """``model`` as the rules should see it: with the extended window the import's context
    step will give it (LM022 checks tiers against that window, so a long-context tier read
    before the step is not dropped)."""
    window = extended_window(ids.get("provider"), ids.get("model"))
    limits = model.limits
    if window is None or (limits is not None and limits.extended_context is not None):
        return model
    limits = limits.model_copy(update={"extended_context": window}) if limits else None
    if limits is None:
        return model
    return model.model_copy(update={"limits": limits})


def sanitize(
    facts: Facts,
    kind: Kind,
    ids: dict[str, str],
    *,
    target: str,
    log: ImportLog,
    origin: Origin,
    today: dt.date,
    ignore: frozenset[str] = frozenset(),
    explain: Callable[[str, Any], tuple[str, str] | None] | None = None,
) -> Facts:
    """A copy of ``facts`` that the schema and the rules accept; every removal is logged.

    ``ignore`` lists rule codes not checked now (checked again once all sources are merged).
    ``ids`` are the path-given keys the resolved class needs (``provider``/``model`` …);
    ``origin(path)`` names the source of the value at ``path`` for the log;
    ``explain(why, value)``, when given, may replace a removal's generic reason and action
    with hand-checked ones (a price tier's own reason, "moved" when it is kept as history:
    :mod:`~.tier_notes`).
    """
    data: Facts = copy_data(facts)
    for _ in range(500):
        problems = _schema_problems(data, kind, ids)
        if not problems:
            problems = _rule_problems(data, kind, ids, today, ignore)
        if not problems:
            return data
        seen: set[Path] = set()
        # deepest first, so list indices stay valid while removing
        for path, why in sorted(problems, key=lambda p: [str(x) for x in p[0]], reverse=True):
            if any(path[: len(s)] == s for s in seen):
                continue
            value = get_path(data, path)
            if not delete_path(data, path):
                raise UnusableFacts(f"cannot remove {_field(path)}: {safe_text(why)}")
            seen.add(path)
            own = explain(why, value) if explain is not None else None
            reason, action = own if own is not None else (why, "dropped")
            log.change(
                target, _field(path), _masked(value), origin(path), safe_text(reason), action
            )
    raise UnusableFacts("too many problems")  # pragma: no cover
