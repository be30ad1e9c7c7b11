"""Optional dependencies: import one, or raise the one clear error naming the extra to install.

``pip install llmaestro`` installs what reading the catalog needs; each other feature's
dependencies come with an extra (``pyproject.toml``, the README's install table)::

    tokens     tiktoken                         count_tokens() and the token counters
    clients    httpx                            provider clients, detectors' HTTP
    redis      redis                            the distributed rate limiter
    authoring  pydantic, PyYAML, ruamel.yaml    validate, fmt, import, detect, schemas, overlays
    site       Jinja2 (+ authoring)             llmaestro site build

A feature calls :func:`require` (or :func:`import_module`) before its first optional import;
when a module is missing it raises :class:`~llmaestro.errors.MissingDependencyError`, e.g.
``count_tokens() needs tiktoken: pip install 'llmaestro[tokens]'``.

Typed modules keep their annotations with::

    if TYPE_CHECKING:
        import httpx
    else:
        httpx = import_module("httpx", "the provider clients")
"""

from __future__ import annotations

import importlib

from llmaestro.errors import MissingDependencyError

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from types import ModuleType

__all__ = [
    "EXTRAS",
    "MODULES",
    "from_exception",
    "import_module",
    "installed",
    "missing",
    "require",
    "require_extras",
]

#: Import name -> (distribution, extra that installs it).
MODULES: dict[str, tuple[str, str]] = {
    "tiktoken": ("tiktoken", "tokens"),
    "httpx": ("httpx", "clients"),
    "redis": ("redis", "redis"),
    "pydantic": ("pydantic", "authoring"),
    "pydantic_core": ("pydantic", "authoring"),
    "yaml": ("PyYAML", "authoring"),
    "ruamel.yaml": ("ruamel.yaml", "authoring"),
    "jinja2": ("Jinja2", "site"),
}

#: Extra -> the import names it provides (``tests/packaging`` keeps this and pyproject equal).
EXTRAS: dict[str, tuple[str, ...]] = {
    "tokens": ("tiktoken",),
    "clients": ("httpx",),
    "redis": ("redis",),
    "authoring": ("pydantic", "yaml", "ruamel.yaml"),
    "site": ("jinja2", "pydantic"),
}


def _known(module: str) -> str:
    """The :data:`MODULES` key of ``module`` or of the package it belongs to."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in MODULES:
            return name
    raise KeyError(f"{module} is not an optional dependency of llmaestro")


def missing(
    feature: str, modules: tuple[str, ...] | list[str], extras: tuple[str, ...] = ()
) -> MissingDependencyError:
    """The error saying that ``feature`` needs ``modules`` (import names) and how to get them:
    the ``extras`` named, else the extra of each module."""
    known = [_known(m) for m in modules]
    distributions = list(dict.fromkeys(MODULES[m][0] for m in known))
    wanted = list(extras) or list(dict.fromkeys(MODULES[m][1] for m in known))
    return MissingDependencyError(feature, distributions, wanted, modules[0])


_installed: dict[str, bool] = {}


def installed(module: str) -> bool:
    """Whether ``module`` imports (it is imported, as the feature is about to use it)."""
    found = _installed.get(module)
    if found is None:
        try:
            importlib.import_module(module)
        except ImportError:
            found = False
        else:
            found = True
        _installed[module] = found
    return found


def require(feature: str, *modules: str) -> None:
    """Raise :class:`MissingDependencyError` naming every one of ``modules`` that is missing."""
    absent = [m for m in modules if not installed(m)]
    if absent:
        raise missing(feature, absent)


def require_extras(feature: str, *extras: str) -> None:
    """:func:`require` of every module the ``extras`` provide; the error names the extras
    that are incomplete."""
    absent: list[str] = []
    short: list[str] = []
    for extra in extras:
        gone = [m for m in EXTRAS[extra] if not installed(m)]
        if gone:
            short.append(extra)
            absent += [m for m in gone if m not in absent]
    if absent:
        raise missing(feature, absent, tuple(short))


def import_module(module: str, feature: str) -> ModuleType:
    """``importlib.import_module(module)``, or the clear error when it is not installed."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        name = exc.name or module
        if name.split(".")[0] != module.split(".")[0]:
            raise  # a dependency of ``module`` is broken: not ours to explain
        raise missing(feature, [module]) from None


def from_exception(feature: str, exc: ModuleNotFoundError) -> MissingDependencyError | None:
    """The clear error for an import of an optional dependency that failed, else None."""
    if not exc.name:
        return None
    try:
        known = _known(exc.name)
    except KeyError:
        return None
    return missing(feature, [known])
