"""Read a models.dev snapshot (a checkout folder or its tarball) and map it to catalog facts.

Layout of the snapshot::

    providers/<provider>/provider.toml
    providers/<provider>/models/<model id>.toml     (ids with `/` are nested folders)
    models/<lab>/<model id>.toml                    canonical lab models

A provider-model file may be a symbolic link to another provider's file (the same model served
by both): it is read through the link and belongs to the provider whose folder holds the link.
Broken links, files without the `.toml` extension and files that do not parse are reported,
never dropped silently. `base_model = "<lab>/<id>"` makes the file inherit the canonical model
(deep merge), minus the dotted paths of `base_model_omit`.
"""

from __future__ import annotations

import gzip
import io
import os
import posixpath
import tarfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, get_args

from llmaestro.catalog.importers.common import (
    MODELS_DEV,
    NOISE_DIGITS,
    Facts,
    ImportLog,
    parse_day,
    parse_month_or_day,
    plain_decimal,
    significant,
    to_decimal,
)
from llmaestro.catalog.importers.provider_map import (
    AUTH_BY_STYLE,
    NPM_STYLES,
    SDK_DEFAULT_BASE_URLS,
)
from llmaestro.catalog.model import MODALITIES, ReasoningEffort

EFFORTS: tuple[str, ...] = get_args(ReasoningEffort)

# --- reading the tree ------------------------------------------------------------------------


@dataclass(frozen=True)
class RawFile:
    """One file of the snapshot, read through symbolic links."""

    path: str
    """Path inside the snapshot (posix), where the file or link stands."""
    data: bytes | None
    """Content; None for a broken link."""
    link: str | None = None
    """Path the link resolves to (or points at, when broken)."""


def _read_folder(root: Path) -> list[RawFile]:
    out: list[RawFile] = []
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        here = Path(folder)
        names = sorted(files) + sorted(d for d in dirs if (here / d).is_symlink())
        for name in names:
            path = here / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                target = path.resolve()
                try:
                    link = target.relative_to(real_root).as_posix()
                except ValueError:
                    link = os.readlink(path)
                if target.is_file():
                    out.append(RawFile(rel, target.read_bytes(), link))
                else:
                    out.append(RawFile(rel, None, link))
            elif path.is_file():
                out.append(RawFile(rel, path.read_bytes()))
    return out


def _read_tarball(path: Path) -> list[RawFile]:
    out: list[RawFile] = []
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # decompress once: a gzip stream does not seek cheaply
        raw = gzip.decompress(raw)
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        members = {posixpath.normpath(m.name).lstrip("/"): m for m in tar.getmembers()}
        members.pop(".", None)

        def follow(name: str) -> tuple[str, tarfile.TarInfo | None]:
            seen: set[str] = set()
            current = name
            while current in members and current not in seen:
                seen.add(current)
                member = members[current]
                if member.issym():
                    current = posixpath.normpath(
                        posixpath.join(posixpath.dirname(current), member.linkname)
                    )
                elif member.islnk():
                    current = posixpath.normpath(member.linkname)
                else:
                    return current, member
            return current, None

        for name in sorted(members):
            member = members[name]
            if member.isdir():
                continue
            if member.issym() or member.islnk():
                target, found = follow(name)
                data = None
                if found is not None and found.isfile():
                    handle = tar.extractfile(found)
                    data = handle.read() if handle else None
                out.append(RawFile(name, data, target))
            elif member.isfile():
                handle = tar.extractfile(member)
                out.append(RawFile(name, handle.read() if handle else b""))
    return out


def read_snapshot_files(path: Path) -> list[RawFile]:
    """Every file of a snapshot folder or tarball, with paths relative to the folder that
    holds `providers/` (a single top-level folder of a tarball is looked through)."""
    files = _read_folder(path) if path.is_dir() else _read_tarball(path)
    if files and not any(f.path.startswith("providers/") for f in files):
        tops = {f.path.split("/", 1)[0] for f in files}
        if len(tops) == 1:
            top = tops.pop() + "/"
            files = [
                RawFile(
                    f.path[len(top) :],
                    f.data,
                    f.link[len(top) :] if f.link and f.link.startswith(top) else f.link,
                )
                for f in files
            ]
    return files


# --- the snapshot ----------------------------------------------------------------------------


@dataclass
class ModelFile:
    """A model file of the snapshot: where it stands and what it says."""

    path: str
    raw: dict[str, Any]
    link: str | None = None


@dataclass
class Snapshot:
    """A models.dev snapshot: providers, provider models and canonical models (raw TOML)."""

    providers: dict[str, ModelFile] = field(default_factory=dict)
    offerings: dict[tuple[str, str], ModelFile] = field(default_factory=dict)
    canonical: dict[str, ModelFile] = field(default_factory=dict)
    #: counts of what was read, for the report
    paths_seen: int = 0
    symlinks: int = 0
    broken_symlinks: int = 0


def _parse(file: RawFile, log: ImportLog, provider: str) -> dict[str, Any] | None:
    assert file.data is not None
    try:
        return tomllib.loads(file.data.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.skip(MODELS_DEV, provider, file.path, f"not readable TOML: {exc}")
        return None


def load_snapshot(path: Path, log: ImportLog) -> Snapshot:
    """Read a snapshot; every file that cannot become a catalog entry is logged."""
    snap = Snapshot()
    for file in read_snapshot_files(path):
        parts = file.path.split("/")
        if parts[0] == "providers" and len(parts) >= 3:
            pid = parts[1]
            if len(parts) == 3 and parts[2] == "provider.toml":
                if file.data is None:
                    log.skip(MODELS_DEV, pid, file.path, f"broken symlink to `{file.link}`")
                    continue
                raw = _parse(file, log, pid)
                if raw is not None:
                    snap.providers[pid] = ModelFile(file.path, raw, file.link)
                continue
            if len(parts) < 4 or parts[2] != "models":
                log.skip(MODELS_DEV, pid, file.path, "not model data (documentation or tooling)")
                continue
            snap.paths_seen += 1
            rel = "/".join(parts[3:])
            if file.link is not None:
                snap.symlinks += 1
            if not rel.endswith(".toml"):
                log.skip(MODELS_DEV, pid, file.path, "file without the `.toml` extension: not read")
                continue
            if file.data is None:
                snap.broken_symlinks += 1
                log.skip(MODELS_DEV, pid, file.path, f"broken symlink to `{file.link}`")
                continue
            raw = _parse(file, log, pid)
            if raw is not None:
                snap.offerings[(pid, rel[: -len(".toml")])] = ModelFile(file.path, raw, file.link)
        elif parts[0] == "models" and len(parts) >= 3:
            if not file.path.endswith(".toml") or file.data is None:
                reason = (
                    "file without the `.toml` extension: not read"
                    if file.data is not None
                    else f"broken symlink to `{file.link}`"
                )
                log.skip(MODELS_DEV, parts[1], file.path, reason)
                continue
            raw = _parse(file, log, parts[1])
            if raw is not None:
                ref = "/".join(parts[1:])[: -len(".toml")]
                snap.canonical[ref] = ModelFile(file.path, raw, file.link)
    return snap


# --- mapping a model file --------------------------------------------------------------------

#: Keys of a models.dev cost table -> our price field.
COST_KEYS: dict[str, str] = {
    "input": "input",
    "output": "output",
    "cache_read": "cache_read",
    "cache_write": "cache_write",
    "input_audio": "input_audio",
    "output_audio": "output_audio",
    "reasoning": "reasoning",
}
#: Keys models.dev's schema does not know (it drops them silently) whose meaning is clear.
COST_ALIASES: dict[str, tuple[str, str]] = {
    "cache_input": ("cache_read", "cached prompt tokens are cache reads"),
    "cached_input": ("cache_read", "cached prompt tokens are cache reads"),
    "cached_read": ("cache_read", "cached prompt tokens are cache reads"),
    "cache_hit": ("cache_read", "cache hits are cache reads"),
    "cached_write": ("cache_write", "written to the cache"),
    "cache_creation": ("cache_write", "written to the cache"),
    "request": ("per_request", "a price per request"),
}
#: Keys whose unit or meaning the source does not state: reported, not imported.
COST_UNCLEAR: dict[str, str] = {
    "citation": "citation tokens are billed apart; the catalog has no field for them",
    "image": "the unit is not stated (per image, or per 1M image tokens)",
}

#: Top-level keys the catalog does not model: one report line per key.
NOT_MODELLED: dict[str, str] = {
    "benchmarks": "benchmark scores are not catalog facts",
    "links": "links to weights and papers are not modelled",
    "weights": "weight downloads are not modelled",
    "interleaved": "the reasoning-content field name of the wire format is not modelled",
    "provider": "per-model SDK package, endpoint and API shape are not modelled",
    "attachment": "represented by `modalities.input` (image, pdf, audio, video)",
}


class _Mapper:
    """Maps one raw file to facts, logging what it drops or corrects."""

    def __init__(self, log: ImportLog, target: str, src: str) -> None:
        self.log = log
        self.target = target
        self.src = src

    def drop(self, fld: str, value: Any, why: str) -> None:
        self.log.change(self.target, fld, value, self.src, why)

    def fix(self, fld: str, value: Any, why: str) -> None:
        self.log.change(self.target, fld, value, self.src, why, action="corrected")

    def boolean(self, raw: dict[str, Any], key: str, fld: str) -> bool | None:
        value = raw.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.drop(fld, value, "not a boolean")
            return None
        return value

    def count(self, value: Any, fld: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.drop(fld, value, "not a whole number of tokens")
            return None
        if value < 1:
            self.drop(fld, value, "a token limit must be at least 1 (0 stands for unknown)")
            return None
        return value

    def prices(self, cost: dict[str, Any], fld: str) -> Facts:
        out: Facts = {}
        for key, value in cost.items():
            if key in ("tiers", "context_over_200k"):
                continue
            if isinstance(value, dict):
                self.log.ignore(MODELS_DEV, f"cost.{key}", "nested cost table not modelled")
                self.drop(f"{fld}.{key}", value, "nested cost table has no field in the catalog")
                continue
            if key in COST_KEYS:
                name = COST_KEYS[key]
            elif key in COST_ALIASES:
                name, meaning = COST_ALIASES[key]
                if name in out or any(COST_KEYS.get(k) == name for k in cost):
                    self.drop(f"{fld}.{key}", value, f"unknown cost key; `{name}` is already given")
                    continue
                self.fix(
                    f"{fld}.{key}", value, f"unknown cost key `{key}` mapped to `{name}`: {meaning}"
                )
            elif key in COST_UNCLEAR:
                self.drop(f"{fld}.{key}", value, f"unknown cost key `{key}`: {COST_UNCLEAR[key]}")
                continue
            else:
                self.drop(f"{fld}.{key}", value, f"unknown cost key `{key}`: meaning not clear")
                continue
            price = to_decimal(value)
            if price is None or price < 0:
                self.drop(f"{fld}.{key}", value, "not a price (a number of USD, at least 0)")
                continue
            rounded = plain_decimal(significant(price))
            if rounded != price:
                self.fix(
                    f"{fld}.{name}",
                    price,
                    f"binary floating-point noise: rounded to {NOISE_DIGITS} significant digits "
                    f"(now {rounded})",
                )
            out[name] = rounded
        return out

    def pricing(self, cost: Any) -> Facts:
        if not isinstance(cost, dict):
            self.drop("pricing", cost, "`cost` is not a table")
            return {}
        out = self.prices(cost, "pricing")
        tiers: list[Facts] = []
        for i, tier in enumerate(cost.get("tiers") or ()):
            spec = tier.get("tier") if isinstance(tier, dict) else None
            size = spec.get("size") if isinstance(spec, dict) else None
            kind = spec.get("type", "context") if isinstance(spec, dict) else None
            if kind != "context" or isinstance(size, bool) or not isinstance(size, int):
                self.drop(f"pricing.tiers.{i}", tier, "tier without a context size")
                continue
            prices = {k: v for k, v in tier.items() if k != "tier"}
            tiers.append({"above_tokens": size, **self.prices(prices, f"pricing.tiers.{i}")})
        over = cost.get("context_over_200k")
        if isinstance(over, dict):
            tiers.append({"above_tokens": 200_000, **self.prices(over, "pricing.tiers")})
        if tiers:
            out["tiers"] = sorted(tiers, key=lambda t: t["above_tokens"])
        return out

    def reasoning_controls(self, options: Any) -> Facts:
        out: Facts = {}
        if not isinstance(options, list):
            self.drop("capabilities.reasoning", options, "`reasoning_options` is not a list")
            return out
        for option in options:
            kind = option.get("type") if isinstance(option, dict) else None
            if kind == "effort":
                levels: list[str] = []
                for level in option.get("values") or ():
                    if level in EFFORTS and level not in levels:
                        levels.append(level)
                    elif level not in EFFORTS:
                        self.drop(
                            "capabilities.reasoning.effort_levels",
                            level,
                            "not an effort level (" + ", ".join(EFFORTS) + ")",
                        )
                if levels:
                    out["effort_levels"] = levels
            elif kind == "budget_tokens":
                budget = {}
                for bound in ("min", "max"):
                    value = option.get(bound)
                    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                        budget[bound] = value
                    elif value is not None:
                        self.drop(
                            f"capabilities.reasoning.budget_tokens.{bound}",
                            value,
                            "not a token count",
                        )
                if budget:
                    out["budget_tokens"] = budget
                else:
                    self.log.ignore(
                        MODELS_DEV,
                        "reasoning_options budget_tokens (no min/max)",
                        "a budget control with no range: nothing to record",
                    )
            elif kind == "toggle":
                out["toggle"] = True
            else:
                self.drop("capabilities.reasoning", option, "unknown reasoning option")
        return out

    def modality_list(self, values: Any, fld: str) -> list[str] | None:
        if not isinstance(values, list):
            self.drop(fld, values, "not a list")
            return None
        out: list[str] = []
        for value in values:
            if value in MODALITIES and value not in out:
                out.append(value)
            elif value not in MODALITIES:
                self.drop(fld, value, "not a modality (" + ", ".join(MODALITIES) + ")")
        return out

    def facts(self, raw: dict[str, Any]) -> Facts:
        """The facts one raw file states (only the keys it has: a partial set when it has a
        base model)."""
        f: Facts = {}
        for key in ("name", "family", "license"):
            value = raw.get(key)
            if isinstance(value, str) and value.strip():
                f[key] = value.strip()
            elif value is not None:
                self.drop(key, value, "not a non-empty text")
        life: Facts = {}
        for key in ("release_date", "last_updated"):
            if key in raw:
                day = parse_day(raw[key])
                if day is None:
                    self.drop(f"lifecycle.{key}", raw[key], _date_problem(raw[key]))
                else:
                    life[key] = day
        status = raw.get("status")
        if status is not None:
            mapped = {"alpha": "preview", "beta": "preview", "deprecated": "deprecated"}.get(
                str(status)
            )
            if mapped is None:
                self.drop("lifecycle.status", status, "unknown status")
            else:
                life["status"] = mapped
        if life:
            f["lifecycle"] = life
        if "knowledge" in raw:
            cutoff = parse_month_or_day(raw["knowledge"])
            if cutoff is None:
                self.drop("knowledge_cutoff", raw["knowledge"], "not a date or YYYY-MM month")
            else:
                f["knowledge_cutoff"] = cutoff
        weights = self.boolean(raw, "open_weights", "open_weights")
        if weights is not None:
            f["open_weights"] = weights
        caps: Facts = {}
        for key, name in (
            ("tool_call", "tool_calling"),
            ("structured_output", "structured_output"),
            ("temperature", "temperature"),
        ):
            value = self.boolean(raw, key, f"capabilities.{name}")
            if value is not None:
                caps[name] = value
        reasoning: Facts = {}
        supported = self.boolean(raw, "reasoning", "capabilities.reasoning.supported")
        if supported is not None:
            reasoning["supported"] = supported
        if "reasoning_options" in raw:
            reasoning.update(self.reasoning_controls(raw["reasoning_options"]))
        if reasoning:
            caps["reasoning"] = reasoning
        if caps:
            f["capabilities"] = caps
        modalities = raw.get("modalities")
        if isinstance(modalities, dict):
            mods: Facts = {}
            for side in ("input", "output"):
                if side in modalities:
                    values = self.modality_list(modalities[side], f"modalities.{side}")
                    if values:
                        mods[side] = values
            if mods:
                f["modalities"] = mods
        limit = raw.get("limit")
        if isinstance(limit, dict):
            limits: Facts = {}
            for key, name in (
                ("context", "context"),
                ("input", "max_input"),
                ("output", "max_output"),
            ):
                if key in limit:
                    value = self.count(limit[key], f"limits.{name}")
                    if value is not None:
                        limits[name] = value
            if limits:
                f["limits"] = limits
        if "cost" in raw:
            pricing = self.pricing(raw["cost"])
            if pricing:
                f["pricing"] = pricing
        fast = (((raw.get("experimental") or {}).get("modes") or {}).get("fast")) or None
        if isinstance(fast, dict):
            body = ((fast.get("provider") or {}).get("body")) or {}
            if body.get("service_tier") == "priority" and isinstance(fast.get("cost"), dict):
                priority = self.prices(fast["cost"], "pricing.service_tiers.priority")
                if priority:
                    f.setdefault("pricing", {})["service_tiers"] = {"priority": priority}
            else:
                self.log.ignore(
                    MODELS_DEV,
                    "experimental.modes.fast",
                    "fast modes other than `service_tier = priority` have no field",
                )
        for key in raw:
            if key in NOT_MODELLED:
                self.log.ignore(MODELS_DEV, key, NOT_MODELLED[key])
            elif key not in _KNOWN_KEYS:
                self.log.ignore(MODELS_DEV, key, "unknown key, not imported")
        return f


_KNOWN_KEYS = frozenset(
    [
        "name",
        "family",
        "license",
        "release_date",
        "last_updated",
        "status",
        "knowledge",
        "open_weights",
        "tool_call",
        "structured_output",
        "temperature",
        "reasoning",
        "reasoning_options",
        "modalities",
        "limit",
        "cost",
        "experimental",
        "base_model",
        "base_model_omit",
    ]
)


def map_model(raw: dict[str, Any], log: ImportLog, target: str, src: str) -> Facts:
    """The catalog facts a models.dev model table states."""
    return _Mapper(log, target, src).facts(raw)


#: models.dev paths of `base_model_omit` -> our dotted paths (a path with no catalog field maps
#: to nothing: there is nothing to inherit there).
OMIT_PATHS: dict[str, tuple[str, ...]] = {
    "limit.input": ("limits.max_input",),
    "limit.output": ("limits.max_output",),
    "limit.context": ("limits.context",),
    "structured_output": ("capabilities.structured_output",),
    "tool_call": ("capabilities.tool_calling",),
    "temperature": ("capabilities.temperature",),
    "reasoning": ("capabilities.reasoning",),
    "reasoning_options": (
        "capabilities.reasoning.effort_levels",
        "capabilities.reasoning.budget_tokens",
        "capabilities.reasoning.toggle",
    ),
    "knowledge": ("knowledge_cutoff",),
    "open_weights": ("open_weights",),
    "family": ("family",),
    "modalities.input": ("modalities.input",),
    "modalities.output": ("modalities.output",),
    "release_date": ("lifecycle.release_date",),
    "last_updated": ("lifecycle.last_updated",),
    "cost": ("pricing",),
    "cost.tiers": ("pricing.tiers",),
    "cost.context_over_200k": ("pricing.tiers",),
}


def map_omit(paths: Iterable[Any]) -> tuple[list[str], list[str]]:
    """(our dotted paths, models.dev paths with no catalog field)."""
    ours: list[str] = []
    unknown: list[str] = []
    for path in paths:
        text = str(path)
        if text in OMIT_PATHS:
            ours.extend(p for p in OMIT_PATHS[text] if p not in ours)
        elif text.startswith(("experimental", "benchmarks", "links", "weights", "provider")):
            continue
        else:
            unknown.append(text)
    return ours, unknown


def _date_problem(value: Any) -> str:
    text = str(value).strip()
    if len(text) == 7 and parse_month_or_day(text) is not None:
        return "a month (YYYY-MM): lifecycle dates are whole days; the day is unknown"
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return "an impossible calendar date"
    return "not a date (YYYY-MM-DD)"


# --- kinds -----------------------------------------------------------------------------------


def infer_kind(model_id: str, facts: Facts) -> str:
    """models.dev has no `kind`: guess it from the id, the name and the modalities."""
    name = str(facts.get("name") or "")
    text = f"{model_id} {name} {facts.get('family') or ''}".lower()
    mods = facts.get("modalities") or {}
    out = set(mods.get("output") or ())
    inp = set(mods.get("input") or ())
    if "embed" in text:
        return "embedding"
    if "rerank" in text:
        return "rerank"
    if "moderation" in text:
        return "moderation"
    if out and "text" not in out:
        if "video" in out:
            return "video"
        if "image" in out:
            return "image_generation"
        if out == {"audio"}:
            return "speech"
    if "whisper" in text or "transcri" in text or (inp == {"audio"} and out == {"text"}):
        return "transcription"
    if ("tts" in text.replace("-", " ").split() or "-tts" in text) and "audio" in out:
        return "speech"
    return "chat"


# --- providers -------------------------------------------------------------------------------


def map_provider(pid: str, raw: dict[str, Any], log: ImportLog, src: str) -> Facts:
    """A provider.toml as provider facts (``name``, ``api``, ``docs_url``)."""
    m = _Mapper(log, pid, src)
    f: Facts = {}
    name = raw.get("name")
    if isinstance(name, str) and name.strip():
        f["name"] = name.strip()
    npm = raw.get("npm")
    style = NPM_STYLES.get(str(npm), "other") if npm else "other"
    if npm and str(npm) not in NPM_STYLES:
        log.ignore(
            MODELS_DEV, f"npm = {npm}", "SDK package without a known wire format: style `other`"
        )
    base_url: str | None = None
    api = raw.get("api")
    if isinstance(api, str):
        url = api.strip()
        if "${" in url:
            m.drop(
                "api.base_url",
                url,
                "a URL template filled from environment variables: no fixed base URL",
            )
        else:
            if url.endswith("/"):
                m.fix("api.base_url", url, "trailing `/` removed (LM033)")
                url = url.rstrip("/")
            base_url = url
    elif pid in SDK_DEFAULT_BASE_URLS:
        base_url = SDK_DEFAULT_BASE_URLS[pid]
        log.change(
            pid,
            "api.base_url",
            base_url,
            f"{src} (npm {npm})",
            "no `api` in models.dev: the default endpoint of the provider's SDK package",
            action="corrected",
        )
    env = [e for e in raw.get("env") or () if isinstance(e, str)]
    if base_url is not None:
        api_facts: Facts = {"style": style, "base_url": base_url}
        if env and style in AUTH_BY_STYLE:
            header, scheme = AUTH_BY_STYLE[style]
            auth: Facts = {"env": env, "header": header}
            if scheme:
                auth["scheme"] = scheme
            api_facts["auth"] = auth
        elif env:
            m.drop("api.auth.env", env, f"no known key header for API style `{style}`")
        f["api"] = api_facts
    elif env or npm:
        m.drop(
            "api",
            {"npm": npm, "env": env},
            "no base URL (per-deployment endpoint): the API block needs one (LM033)",
        )
    doc = raw.get("doc")
    if isinstance(doc, str) and doc.strip():
        f["docs_url"] = doc.strip()
    for key in raw:
        if key not in ("name", "npm", "api", "env", "doc"):
            log.ignore(MODELS_DEV, f"provider.toml {key}", "provider key not modelled")
    return f
