"""The provider facts of a models.dev `provider.toml`: name, API (style, base URL, auth), docs."""

from __future__ import annotations

from typing import Any

from llmaestro.catalog.importers.common import MODELS_DEV, Facts, ImportLog
from llmaestro.catalog.importers.provider_map import (
    AUTH_BY_STYLE,
    NPM_STYLES,
    SDK_DEFAULT_BASE_URLS,
)


def map_provider(pid: str, raw: dict[str, Any], log: ImportLog, src: str) -> Facts:
    """A provider.toml as provider facts (``name``, ``api``, ``docs_url``)."""

    def drop(fld: str, value: Any, why: str) -> None:
        log.change(pid, fld, value, src, why)

    def fix(fld: str, value: Any, why: str) -> None:
        log.change(pid, fld, value, src, why, action="corrected")

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
            drop(
                "api.base_url",
                url,
                "a URL template filled from environment variables: no fixed base URL",
            )
        else:
            if url.endswith("/"):
                fix("api.base_url", url, "trailing `/` removed (LM033)")
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
            drop("api.auth.env", env, f"no known key header for API style `{style}`")
        f["api"] = api_facts
    elif env or npm:
        drop(
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
