"""The SQLite export: normalized tables with indexes and foreign keys (``docs/sqlite.md``).

Prices are exact TEXT plus a REAL column for sorting; every object also keeps its full JSON
(the export document's), which :mod:`llmaestro.loader.exported` reads back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from llmaestro._atomic import atomic_path
from llmaestro._formats import EXPORT_FORMAT, EXPORT_VERSION
from llmaestro._formats import EXPORT_SCHEMA_ID as SCHEMA_ID
from llmaestro._records import Capabilities, ContextTier, RateLimitTier
from llmaestro.errors import ExportError
from llmaestro.exports.document import export_document
from llmaestro.registry.core import Registry

#: Every price a price set can hold, in the data model's order (SQLite `prices` columns); the
#: records list the data model's fields (a context tier's prices and its threshold).
PRICE_FIELDS: tuple[str, ...] = tuple(f for f in ContextTier._fields if f != "above_tokens")
CAPABILITY_NAMES: tuple[str, ...] = Capabilities._fields
RATE_LIMIT_FIELDS: tuple[str, ...] = tuple(
    name for name in RateLimitTier._fields if name not in ("tier", "models")
)
SERVICE_TIERS: tuple[str, ...] = ("batch", "flex", "priority")

#: ``PRAGMA application_id`` of llmaestro's SQLite exports ("LLMA").
SQLITE_APPLICATION_ID = 0x4C4C4D41


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
            period = {"effective": old["effective"], "until": old.get("until")}
            self.add(oid, "history", old, position=n, **period)
            for tier in old.get("tiers") or ():  # the period's context tiers: same position
                self.add(
                    oid, "history", tier, position=n, above_tokens=tier["above_tokens"], **period
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
    try:
        with atomic_path(out) as tmp, contextlib.closing(sqlite3.connect(tmp)) as con:
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
    except sqlite3.IntegrityError as exc:
        raise ExportError(
            f"cannot export to SQLite ({exc}): every offering's provider and `base` must be "
            "in the registry"
        ) from None
    except sqlite3.Error as exc:
        raise ExportError(f"{out}: cannot write the SQLite export: {exc}") from None
