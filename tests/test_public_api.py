"""The public surface of `import llmaestro` is exactly this, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import llmaestro

EXPECTED = {
    "AmbiguousModelError",
    "CanonicalModel",
    "CatalogCacheWarning",
    "CatalogError",
    "CatalogValidationError",
    "DeprecatedModelWarning",
    "LLMaestroError",
    "Offering",
    "Provider",
    "Registry",
    "UnknownModelError",
    "UnknownProviderError",
    "__version__",
    "load",
}


def test_public_surface_is_exactly_the_documented_one() -> None:
    assert set(llmaestro.__all__) == EXPECTED
    for name in EXPECTED:
        assert getattr(llmaestro, name) is not None


def test_lookup_errors_are_lookup_errors() -> None:
    for cls in (llmaestro.UnknownModelError, llmaestro.AmbiguousModelError):
        assert issubclass(cls, LookupError)
        assert issubclass(cls, llmaestro.LLMaestroError)


def test_import_loads_no_pydantic_yaml_httpx_or_tiktoken() -> None:
    code = (
        "import sys, llmaestro; "
        "heavy = {'pydantic', 'yaml', 'ruamel', 'httpx', 'tiktoken', 'jinja2', 'redis'}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_loading_a_compiled_catalog_needs_no_pydantic_or_yaml() -> None:
    llmaestro.load()  # compiles the source checkout's catalog into the cache if needed
    code = (
        "import sys, llmaestro; r = llmaestro.load(); r.get('openai/gpt-4o'); "
        "print(sorted({'pydantic', 'yaml', 'ruamel'} & {m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_cached_source_checkout_load_imports_no_pathlib_hashlib_or_tempfile() -> None:
    """The repeated load of a source checkout (a cache hit: the kept listing, the cached
    bundle, its seal memo) works on strings; pathlib, hashlib and the atomic writer are for a
    miss (benchmarks/checkout.py measures the difference)."""
    llmaestro.load()  # compiles and caches the checkout's catalog, keeps its listing
    code = (
        "import sys, llmaestro; r = llmaestro.load(); r.get('openai/gpt-4o'); "
        "print(sorted({'pathlib', 'hashlib', 'tempfile', 'shutil'} & set(sys.modules)))"
    )
    run = [sys.executable, "-c", code]
    subprocess.run(run, capture_output=True, text=True, check=True)  # the seal memo, once
    out = subprocess.run(run, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
