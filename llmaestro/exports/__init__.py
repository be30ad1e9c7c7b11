"""Exports of a registry: JSON, YAML, SQLite and LiteLLM's ``model_cost`` format.

- :func:`export_json` / :func:`export_yaml`: the documented, versioned export file
  (:mod:`llmaestro.catalog.export_model`, ``schemas/export.schema.json``); deterministic, so two
  exports diff cleanly. Prices are exact decimal strings.
- :func:`export_sqlite`: normalized tables with indexes and foreign keys (``docs/sqlite.md``),
  prices as exact TEXT plus a REAL column for sorting, and each object's full JSON.
- :func:`export_litellm`: a dictionary ``litellm.register_model()`` accepts (in
  :mod:`llmaestro.exports.litellm`, importable from here).
- :func:`read_export`: the JSON or SQLite export (or a compiled bundle) back into an equal
  :class:`~llmaestro.registry.core.Registry`; anything else raises :class:`ExportError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal, get_args

from llmaestro._formats import EXPORT_FORMAT, EXPORT_VERSION, schema_file
from llmaestro._formats import EXPORT_SCHEMA_ID as SCHEMA_ID
from llmaestro._optional import import_module, require
from llmaestro._records import Capabilities, ContextTier, RateLimitTier
from llmaestro.errors import ExportError
from llmaestro.exports.litellm import LITELLM_MODES as LITELLM_MODES
from llmaestro.exports.litellm import build_litellm_export as build_litellm_export
from llmaestro.exports.litellm import export_litellm as export_litellm
from llmaestro.exports.litellm import export_litellm_json
from llmaestro.exports.litellm import litellm_entry as litellm_entry
from llmaestro.registry.core import Registry
from llmaestro.registry.jsonable import record_json as record_json

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from pydantic import ValidationError

ExportFormat = Literal["json", "yaml", "sqlite", "litellm"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)

#: Every price a price set can hold, in the data model's order (SQLite `prices` columns); the
#: records list the data model's fields (a context tier's prices and its threshold).
PRICE_FIELDS: tuple[str, ...] = tuple(f for f in ContextTier._fields if f != "above_tokens")
CAPABILITY_NAMES: tuple[str, ...] = Capabilities._fields
RATE_LIMIT_FIELDS: tuple[str, ...] = tuple(
    name for name in RateLimitTier._fields if name not in ("tier", "models")
)
SERVICE_TIERS: tuple[str, ...] = ("batch", "flex", "priority")

SQLITE_MAGIC = b"SQLite format 3\x00"
#: ``PRAGMA application_id`` of llmaestro's SQLite exports ("LLMA").
SQLITE_APPLICATION_ID = 0x4C4C4D41


# --- the export document ----------------------------------------------------------------------


def _generated(generated: dt.datetime | str | None) -> str:
    if isinstance(generated, str):
        return generated
    if generated is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.strip().isdigit():
            generated = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        else:
            generated = dt.datetime.now(dt.UTC)
    if generated.tzinfo is None:
        generated = generated.replace(tzinfo=dt.UTC)
    return generated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _generator() -> str:
    from llmaestro import __version__

    return f"llmaestro {__version__}"


_ORDER: list[tuple[dict[str, Any], dict[str, Any]]] = []


def _export_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The export's JSON Schema (generated from the data model) and its ``$defs``."""
    if not _ORDER:
        path = schema_file("export.schema.json")
        try:
            with open(path, encoding="utf-8") as handle:
                schema: dict[str, Any] = json.load(handle)
        except (OSError, ValueError) as exc:
            raise ExportError(f"{path}: cannot read the export schema ({exc})") from None
        _ORDER.append((schema, schema.get("$defs", {})))
    return _ORDER[0]


def _in_order(value: Any, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> Any:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = defs.get(ref.rpartition("/")[2], {})
    if isinstance(value, dict):
        props: Mapping[str, Any] = schema.get("properties") or {}
        rank = {key: i for i, key in enumerate(props)}
        keys = sorted(value, key=lambda k: rank.get(k, len(rank)))
        return {k: _in_order(value[k], props.get(k) or {}, defs) for k in keys}
    if isinstance(value, list):
        return [_in_order(v, schema.get("items") or {}, defs) for v in value]
    return value


def _normalize(kind: str, data: Mapping[str, Any], lead: Sequence[str]) -> dict[str, Any]:
    """One object in the data model's key order (the export schema's), ``lead`` keys first.
    The registry's facts were validated when it was built: nothing is checked again here."""
    _, defs = _export_schema()
    dumped: dict[str, Any] = _in_order(dict(data), {"$ref": f"#/$defs/{kind}"}, defs)
    head = {key: dumped.pop(key) for key in lead if key in dumped}
    return {**head, **dumped}


def export_document(
    registry: Registry, *, generated: dt.datetime | str | None = None
) -> dict[str, Any]:
    """The JSON export as plain data (see :mod:`llmaestro.catalog.export_model`)."""
    doc = registry.to_document()
    providers = [
        _normalize("Provider", {**data, "provider": pid}, ("provider",))
        for pid, data in sorted(doc["providers"].items())
    ]
    canonical = []
    for ref, data in sorted(doc["canonical"].items()):
        lab, _, model = ref.partition("/")
        canonical.append(
            _normalize("CanonicalModel", {"lab": lab, "model": model, **data}, ("lab", "model"))
        )
    offerings = [
        _normalize("Offering", data, ("provider", "model", "base")) for data in doc["offerings"]
    ]
    offerings.sort(key=lambda o: f"{o['provider']}/{o['model']}")
    out: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated": _generated(generated),
        "generator": _generator(),
    }
    if doc.get("fingerprint"):
        out["fingerprint"] = doc["fingerprint"]
    out["providers"] = providers
    out["canonical_models"] = canonical
    out["offerings"] = offerings
    return out


def export_json(registry: Registry, *, generated: dt.datetime | str | None = None) -> str:
    """The JSON export (``schemas/export.schema.json``): sorted, indented, one fact a line."""
    doc = export_document(registry, generated=generated)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def export_yaml(registry: Registry, *, generated: dt.datetime | str | None = None) -> str:
    """The same document as :func:`export_json`, in YAML (prices stay quoted strings)."""
    yaml = import_module("yaml", "export --format yaml")

    dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    doc = export_document(registry, generated=generated)
    body = yaml.dump(
        doc, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return f"# yaml-language-server: $schema={SCHEMA_ID}\n{body}"


# --- reading exports back ---------------------------------------------------------------------


def _first_errors(exc: ValidationError, doc: Any = None, limit: int = 5) -> str:
    lines = []
    errors = exc.errors()
    for err in errors[:limit]:
        loc = err["loc"]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        where = ""
        if (
            isinstance(doc, Mapping)
            and len(loc) >= 2
            and loc[0] == "offerings"
            and isinstance(loc[1], int)
        ):
            with contextlib.suppress(Exception):
                entry = doc["offerings"][loc[1]]
                where = f" (offering `{entry['provider']}/{entry['model']}`)"
        lines.append(f"{path or '(document)'}{where}: {err['msg']}")
    more = len(errors) - limit
    tail = f"; and {more} more" if more > 0 else ""
    return "; ".join(lines) + tail


def registry_from_export(
    doc: Any, *, source: str = "memory", include_retired: bool = False
) -> Registry:
    """A registry from the export document (parsed JSON); :class:`ExportError` when invalid."""
    if not isinstance(doc, Mapping):
        raise ExportError(f"{source}: not an llmaestro export (the top level is not an object)")
    fmt = doc.get("format")
    if fmt != EXPORT_FORMAT:
        raise ExportError(
            f"{source}: not an llmaestro export (format is {fmt!r}, expected {EXPORT_FORMAT!r})"
        )
    version = doc.get("version")
    if version != EXPORT_VERSION:
        raise ExportError(
            f"{source}: export format version {version!r} is not supported by this llmaestro "
            f"(it reads version {EXPORT_VERSION}); upgrade llmaestro or re-export"
        )
    require("reading an export (load(catalog=FILE))", "pydantic")
    from pydantic import BaseModel, ValidationError

    from llmaestro.catalog.export_model import ExportDocument

    try:
        parsed = ExportDocument.model_validate(doc, strict=False)
    except ValidationError as exc:
        raise ExportError(f"{source}: invalid export: {_first_errors(exc, doc)}") from None

    def dump(obj: BaseModel) -> dict[str, Any]:
        data: dict[str, Any] = obj.model_dump(mode="json", exclude_none=True)
        return data

    providers: dict[str, Any] = {}
    for p in parsed.providers:
        if p.provider in providers:
            raise ExportError(f"{source}: invalid export: provider `{p.provider}` twice")
        providers[p.provider] = dump(p)
    canonical: dict[str, Any] = {}
    for m in parsed.canonical_models:
        ref = f"{m.lab}/{m.model}"
        if ref in canonical:
            raise ExportError(f"{source}: invalid export: canonical model `{ref}` twice")
        canonical[ref] = dump(m)
    offerings = []
    seen: set[str] = set()
    for o in parsed.offerings:
        oid = f"{o.provider}/{o.model}"
        if oid in seen:
            raise ExportError(f"{source}: invalid export: offering `{oid}` twice")
        seen.add(oid)
        offerings.append(dump(o))
    return Registry.from_document(
        {
            "fingerprint": parsed.fingerprint,
            "providers": providers,
            "canonical": canonical,
            "offerings": offerings,
        },
        source=source,
        include_retired=include_retired,
    )


def read_export(path: str | os.PathLike[str], *, include_retired: bool = False) -> Registry:
    """The registry of an export file: the JSON (or YAML) export, the SQLite export, or a
    compiled bundle. Anything else raises :class:`~llmaestro.errors.ExportError` naming the file.
    """
    p = Path(path)
    try:
        with p.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except IsADirectoryError:
        raise ExportError(f"{p}: a folder, not an export file") from None
    except OSError as exc:
        raise ExportError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if head == SQLITE_MAGIC:
        return _read_sqlite(p, include_retired=include_retired)
    try:
        text = p.read_text("utf-8")
    except UnicodeDecodeError:
        raise ExportError(
            f"{p}: not an llmaestro export (a binary file; expected JSON or SQLite written by "
            "`llmaestro export`)"
        ) from None
    except OSError as exc:
        raise ExportError(f"{p}: cannot read: {exc.strerror or exc}") from None
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith('{"format":"llmaestro-bundle"'):
        return Registry.from_bundle_bytes(
            stripped.encode("utf-8"), source=str(p), include_retired=include_retired
        )
    if stripped.startswith("{"):
        try:
            doc = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ExportError(
                f"{p}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
            ) from None
    elif p.suffix.lower() in (".yaml", ".yml"):
        doc = _load_yaml(p, stripped)
    else:
        raise ExportError(
            f"{p}: not an llmaestro export (expected the JSON or SQLite file written by "
            "`llmaestro export`)"
        )
    return registry_from_export(doc, source=str(p), include_retired=include_retired)


def _load_yaml(p: Path, text: str) -> Any:
    yaml = import_module("yaml", "reading a YAML export")

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.YAMLError as exc:
        raise ExportError(f"{p}: not valid YAML: {exc}") from None


# --- SQLite -----------------------------------------------------------------------------------


def _price_columns() -> str:
    return ",\n".join(f"  {name} TEXT,\n  {name}_num REAL" for name in PRICE_FIELDS)


def _rate_columns() -> str:
    return ",\n".join(f"  {name} INTEGER" for name in RATE_LIMIT_FIELDS)


SQLITE_SCHEMA = f"""
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  api_style TEXT,
  base_url TEXT,
  litellm_prefix TEXT,
  docs_url TEXT,
  pricing_url TEXT,
  status_url TEXT,
  json TEXT NOT NULL
);

CREATE TABLE canonical_models (
  id TEXT PRIMARY KEY,
  lab TEXT NOT NULL,
  model TEXT NOT NULL,
  name TEXT,
  family TEXT,
  kind TEXT,
  open_weights INTEGER,
  license TEXT,
  knowledge_cutoff TEXT,
  status TEXT,
  release_date TEXT,
  context INTEGER,
  max_output INTEGER,
  json TEXT NOT NULL
);
CREATE INDEX canonical_models_lab ON canonical_models(lab);

CREATE TABLE offerings (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id),
  model TEXT NOT NULL,
  base_id TEXT REFERENCES canonical_models(id),
  name TEXT,
  family TEXT,
  kind TEXT,
  open_weights INTEGER,
  license TEXT,
  knowledge_cutoff TEXT,
  tokenizer TEXT,
  rate_limit_group TEXT,
  status TEXT,
  release_date TEXT,
  last_updated TEXT,
  deprecation_date TEXT,
  retirement_date TEXT,
  replacement TEXT,
  json TEXT NOT NULL,
  UNIQUE (provider_id, model)
);
CREATE INDEX offerings_base ON offerings(base_id);
CREATE INDEX offerings_kind ON offerings(kind);
CREATE INDEX offerings_family ON offerings(family);
CREATE INDEX offerings_status ON offerings(status);

CREATE TABLE limits (
  offering_id TEXT PRIMARY KEY REFERENCES offerings(id),
  context INTEGER,
  max_input INTEGER,
  max_output INTEGER
);
CREATE INDEX limits_context ON limits(context);

CREATE TABLE aliases (
  offering_id TEXT NOT NULL REFERENCES offerings(id),
  provider_id TEXT NOT NULL REFERENCES providers(id),
  alias TEXT NOT NULL,
  PRIMARY KEY (offering_id, alias)
);
CREATE INDEX aliases_alias ON aliases(alias);

CREATE TABLE capabilities (
  offering_id TEXT NOT NULL REFERENCES offerings(id),
  capability TEXT NOT NULL,
  supported INTEGER NOT NULL CHECK (supported IN (0, 1)),
  PRIMARY KEY (offering_id, capability)
);
CREATE INDEX capabilities_name ON capabilities(capability, supported);

CREATE TABLE modalities (
  offering_id TEXT NOT NULL REFERENCES offerings(id),
  direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
  modality TEXT NOT NULL,
  PRIMARY KEY (offering_id, direction, modality)
);
CREATE INDEX modalities_value ON modalities(direction, modality);

CREATE TABLE prices (
  id INTEGER PRIMARY KEY,
  offering_id TEXT NOT NULL REFERENCES offerings(id),
  scope TEXT NOT NULL CHECK (scope IN ('base', 'context_tier', 'service_tier', 'history')),
  service_tier TEXT,
  above_tokens INTEGER,
  effective TEXT,
  until TEXT,
  position INTEGER NOT NULL,
{_price_columns()}
);
CREATE INDEX prices_offering ON prices(offering_id, scope);
CREATE INDEX prices_input ON prices(scope, input_num);
CREATE INDEX prices_output ON prices(scope, output_num);

CREATE TABLE tiers (
  id INTEGER PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id),
  position INTEGER NOT NULL,
  tier TEXT NOT NULL,
{_rate_columns()}
);
CREATE INDEX tiers_provider ON tiers(provider_id, tier);

CREATE TABLE tier_models (
  tier_id INTEGER NOT NULL REFERENCES tiers(id),
  position INTEGER NOT NULL,
  pattern TEXT NOT NULL,
  PRIMARY KEY (tier_id, position)
);

CREATE VIEW offering_summary AS
SELECT o.id, o.provider_id, o.model, o.base_id, o.name, o.kind, o.status,
       l.context, l.max_output,
       p.input AS input_price, p.output AS output_price,
       p.input_num AS input_price_num, p.output_num AS output_price_num
FROM offerings o
LEFT JOIN limits l ON l.offering_id = o.id
LEFT JOIN prices p ON p.offering_id = o.id AND p.scope = 'base';
"""


def _mode_for(target: Path) -> int:
    """The mode a file written over ``target`` gets: the replaced file's, else the umask's
    default (``mkstemp`` alone would leave the export readable by its owner only)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _compact(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _flag(value: Any) -> int | None:
    return None if value is None else int(bool(value))


def _num(text: Any) -> float | None:
    if text is None:
        return None
    try:
        return float(Decimal(str(text)))
    except InvalidOperation:  # pragma: no cover - validated before
        return None


class _PriceRows:
    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def add(
        self,
        offering_id: str,
        scope: str,
        prices: Mapping[str, Any],
        *,
        position: int = 0,
        service_tier: str | None = None,
        above_tokens: int | None = None,
        effective: str | None = None,
        until: str | None = None,
    ) -> None:
        values: list[Any] = []
        for name in PRICE_FIELDS:
            text = prices.get(name)
            values += [None if text is None else str(text), _num(text)]
        self.rows.append(
            (offering_id, scope, service_tier, above_tokens, effective, until, position, *values)
        )

    def add_pricing(self, oid: str, pricing: Mapping[str, Any]) -> None:
        self.add(oid, "base", pricing, effective=pricing.get("effective"))
        for n, tier in enumerate(pricing.get("tiers") or ()):
            self.add(oid, "context_tier", tier, position=n, above_tokens=tier["above_tokens"])
        for name in SERVICE_TIERS:
            st = (pricing.get("service_tiers") or {}).get(name)
            if st is None:
                continue
            self.add(oid, "service_tier", st, service_tier=name)
            for n, tier in enumerate(st.get("tiers") or ()):
                self.add(
                    oid,
                    "context_tier",
                    tier,
                    position=n,
                    service_tier=name,
                    above_tokens=tier["above_tokens"],
                )
        for n, old in enumerate(pricing.get("history") or ()):
            self.add(
                oid, "history", old, position=n, effective=old["effective"], until=old.get("until")
            )


def _sqlite_rows(doc: Mapping[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {
        name: []
        for name in (
            "providers",
            "canonical_models",
            "offerings",
            "limits",
            "aliases",
            "capabilities",
            "modalities",
            "tiers",
            "tier_models",
        )
    }
    tier_id = 0
    for p in doc["providers"]:
        api = p.get("api") or {}
        rows["providers"].append(
            (
                p["provider"],
                p["name"],
                api.get("style"),
                api.get("base_url"),
                p.get("litellm_prefix"),
                p.get("docs_url"),
                p.get("pricing_url"),
                p.get("status_url"),
                _compact(p),
            )
        )
        for n, tier in enumerate(p.get("rate_limits") or ()):
            tier_id += 1
            rows["tiers"].append(
                (
                    tier_id,
                    p["provider"],
                    n,
                    tier["tier"],
                    *(tier.get(name) for name in RATE_LIMIT_FIELDS),
                )
            )
            for m, pattern in enumerate(tier.get("models") or ()):
                rows["tier_models"].append((tier_id, m, pattern))
    for m in doc["canonical_models"]:
        life = m.get("lifecycle") or {}
        limits = m.get("limits") or {}
        rows["canonical_models"].append(
            (
                f"{m['lab']}/{m['model']}",
                m["lab"],
                m["model"],
                m.get("name"),
                m.get("family"),
                m.get("kind"),
                _flag(m.get("open_weights")),
                m.get("license"),
                m.get("knowledge_cutoff"),
                life.get("status"),
                life.get("release_date"),
                limits.get("context"),
                limits.get("max_output"),
                _compact(m),
            )
        )
    prices = _PriceRows()
    for o in doc["offerings"]:
        oid = f"{o['provider']}/{o['model']}"
        life = o.get("lifecycle") or {}
        rows["offerings"].append(
            (
                oid,
                o["provider"],
                o["model"],
                o.get("base"),
                o.get("name"),
                o.get("family"),
                o.get("kind"),
                _flag(o.get("open_weights")),
                o.get("license"),
                o.get("knowledge_cutoff"),
                o.get("tokenizer"),
                o.get("rate_limit_group"),
                life.get("status"),
                life.get("release_date"),
                life.get("last_updated"),
                life.get("deprecation_date"),
                life.get("retirement_date"),
                life.get("replacement"),
                _compact(o),
            )
        )
        limits = o.get("limits") or {}
        rows["limits"].append(
            (oid, limits.get("context"), limits.get("max_input"), limits.get("max_output"))
        )
        for alias in o.get("aliases") or ():
            rows["aliases"].append((oid, o["provider"], alias))
        caps = o.get("capabilities") or {}
        for name in CAPABILITY_NAMES:
            value = caps.get(name)
            if isinstance(value, Mapping):
                value = value.get("supported")
            if isinstance(value, bool):
                rows["capabilities"].append((oid, name, int(value)))
        mods = o.get("modalities") or {}
        for direction in ("input", "output"):
            for modality in mods.get(direction) or ():
                rows["modalities"].append((oid, direction, modality))
        if o.get("pricing") is not None:
            prices.add_pricing(oid, o["pricing"])
    rows["prices"] = prices.rows
    return rows


_INSERT_OR_IGNORE = {"aliases", "capabilities", "modalities"}
_PRICE_INSERT_COLUMNS = (
    "offering_id, scope, service_tier, above_tokens, effective, until, position, "
    + ", ".join(f"{name}, {name}_num" for name in PRICE_FIELDS)
)


def export_sqlite(
    registry: Registry,
    path: str | os.PathLike[str],
    *,
    generated: dt.datetime | str | None = None,
) -> None:
    """Write the SQLite export to ``path`` (replaced atomically). Tables: ``docs/sqlite.md``."""
    doc = export_document(registry, generated=generated)
    rows = _sqlite_rows(doc)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("PRAGMA foreign_keys = ON")
            con.execute(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
            con.execute(f"PRAGMA user_version = {EXPORT_VERSION}")
            con.executescript(SQLITE_SCHEMA)
            with con:
                meta = {
                    "format": EXPORT_FORMAT,
                    "version": str(EXPORT_VERSION),
                    "generated": doc["generated"],
                    "generator": doc["generator"],
                    "json_schema": SCHEMA_ID,
                }
                if doc.get("fingerprint"):
                    meta["fingerprint"] = doc["fingerprint"]
                con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
                for table, table_rows in rows.items():
                    if not table_rows:
                        continue
                    if table == "prices":
                        marks = ", ".join("?" * len(table_rows[0]))
                        sql = f"INSERT INTO prices ({_PRICE_INSERT_COLUMNS}) VALUES ({marks})"
                    else:
                        verb = "INSERT OR IGNORE" if table in _INSERT_OR_IGNORE else "INSERT"
                        marks = ", ".join("?" * len(table_rows[0]))
                        sql = f"{verb} INTO {table} VALUES ({marks})"
                    con.executemany(sql, table_rows)
                problems = con.execute("PRAGMA foreign_key_check").fetchall()
                if problems:  # pragma: no cover - executemany raises first
                    raise ExportError(f"cannot export to SQLite: broken links {problems[:5]}")
            con.execute("ANALYZE")
        os.chmod(tmp, _mode_for(out))
        os.replace(tmp, out)
    except sqlite3.IntegrityError as exc:
        raise ExportError(
            f"cannot export to SQLite ({exc}): every offering's provider and `base` must be "
            "in the registry"
        ) from None
    except sqlite3.Error as exc:
        raise ExportError(f"{out}: cannot write the SQLite export: {exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _read_sqlite(p: Path, *, include_retired: bool) -> Registry:
    try:
        uri = p.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as con:
            try:
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.OperationalError:
                raise ExportError(
                    f"{p}: an SQLite database but not an llmaestro export (no `meta` table)"
                ) from None
            version: Any = meta.get("version")
            if isinstance(version, str) and version.isdigit():
                version = int(version)
            doc: dict[str, Any] = {
                "format": meta.get("format"),
                "version": version,
                "generated": meta.get("generated", ""),
                "generator": meta.get("generator", ""),
            }
            if meta.get("fingerprint"):
                doc["fingerprint"] = meta["fingerprint"]
            if doc["format"] == EXPORT_FORMAT and version == EXPORT_VERSION:
                doc["providers"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM providers ORDER BY id")
                ]
                doc["canonical_models"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM canonical_models ORDER BY id")
                ]
                doc["offerings"] = [
                    json.loads(text)
                    for (text,) in con.execute("SELECT json FROM offerings ORDER BY id")
                ]
    except sqlite3.Error as exc:
        raise ExportError(f"{p}: cannot read the SQLite export: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"{p}: a `json` column is not valid JSON: {exc.msg}") from None
    return registry_from_export(doc, source=str(p), include_retired=include_retired)


# --- one entry point --------------------------------------------------------------------------


def export_text(
    registry: Registry,
    fmt: str,
    *,
    providers: Sequence[str] | None = None,
    only_litellm_providers: bool = False,
) -> str:
    """The text of a text format: json, yaml or litellm (the keywords: litellm's filters)."""
    if fmt != "litellm" and (providers is not None or only_litellm_providers):
        raise ExportError("`providers` and `only_litellm_providers` filter the litellm export")
    if fmt == "json":
        return export_json(registry)
    if fmt == "yaml":
        return export_yaml(registry)
    if fmt == "litellm":
        return export_litellm_json(
            registry, providers=providers, only_litellm_providers=only_litellm_providers
        )
    if fmt == "sqlite":
        raise ExportError("the sqlite export is a binary file; give it a path")
    raise ExportError(f"unknown export format `{fmt}` (known: {', '.join(EXPORT_FORMATS)})")


def write_export(
    registry: Registry,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    providers: Sequence[str] | None = None,
    only_litellm_providers: bool = False,
) -> Path:
    """Write ``registry`` in format ``fmt`` (json, yaml, sqlite, litellm) to ``out``, atomically;
    return the path written. The keywords filter the litellm export (see :func:`export_text`)."""
    path = Path(out)
    if fmt == "sqlite":
        if providers is not None or only_litellm_providers:
            raise ExportError("`providers` and `only_litellm_providers` filter the litellm export")
        export_sqlite(registry, path)
        return path
    text = export_text(
        registry, fmt, providers=providers, only_litellm_providers=only_litellm_providers
    )
    return write_export_text(path, text)


def write_export_text(out: str | os.PathLike[str], text: str) -> Path:
    """Write an export's text to ``out`` atomically, keeping a replaced file's mode."""
    from llmaestro._atomic import write_text_atomic

    path = Path(out)
    try:
        mode = _mode_for(path)
        write_text_atomic(path, text)
        os.chmod(path, mode)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
