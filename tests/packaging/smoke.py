"""The packaging smoke test's checks, run by smoke.sh: on the built files (with the project's
Python), then inside fresh virtual environments outside the checkout (with theirs).

    python smoke.py artifacts SDIST WHEEL   what the sdist and the wheel hold
    python smoke.py core                    `pip install llmaestro` (no extras)
    python smoke.py extras PRIVATE_DIR      after installing [tokens,authoring]
    python smoke.py installed               any install: load() and the command work

Standard library only: it must run before anything but llmaestro is installed. Every check
prints one line; the first failure raises SystemExit with what is wrong.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

#: what a fresh virtual environment holds before anything is installed into it
SEED = {"pip", "setuptools", "wheel"}
#: `pip install llmaestro` brings at most this many distributions, llmaestro included
MAX_CORE_DISTRIBUTIONS = 3
HEAVY = {"pydantic", "yaml", "ruamel", "httpx", "jinja2", "tiktoken", "redis", "jsonschema"}
SCHEMAS = ("provider.schema.json", "offering.schema.json", "model.schema.json")

#: Checks known to fail for a reason another change fixes: name -> reason. A listed check that
#: fails prints XFAIL; one that passes fails the run (strict), so the marker cannot outlive it.
KNOWN_FAILURES: dict[str, str] = {}


def ok(what: str) -> None:
    print(f"  ok: {what}", flush=True)


def fail(what: str) -> None:
    raise SystemExit(f"PACKAGING SMOKE TEST FAILED: {what}")


def check(condition: object, what: str) -> None:
    if not condition:
        fail(what)
    ok(what)


def known(name: str, passed: bool, what: str) -> None:
    """A check that may be listed in KNOWN_FAILURES."""
    reason = KNOWN_FAILURES.get(name)
    if reason is None:
        check(passed, what)
    elif passed:
        fail(f"{what}: passes now; remove {name!r} from KNOWN_FAILURES in {__file__}")
    else:
        print(f"  XFAIL: {what} ({reason})", flush=True)


def run(*args: str, expect: int | None = 0) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    if expect is not None and out.returncode != expect:
        fail(
            f"`{' '.join(args)}` exited {out.returncode}, expected {expect}:\n"
            f"{out.stdout[-2000:]}{out.stderr[-2000:]}"
        )
    return out


def command(name: str) -> str:
    """The virtual environment's own script (never one on PATH)."""
    path = Path(sys.executable).parent / name
    if not path.is_file():
        fail(f"{name} is not installed next to {sys.executable}")
    return str(path)


# --- the built files ---------------------------------------------------------------------------


def artifacts(sdist: Path, wheel: Path) -> None:
    with tarfile.open(sdist) as tar:
        names = [n.partition("/")[2] for n in tar.getnames()]
    top = {n.partition("/")[0] for n in names if n}
    for needed in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "PKG-INFO"):
        check(needed in names, f"the sdist has {needed}")
    for folder in ("llmaestro", "catalog", "schemas"):
        check(folder in top, f"the sdist has {folder}/")
    check(any(n.startswith("catalog/providers/openai/") for n in names), "the sdist has catalog")
    junk = sorted(top & {".venv", "build", "dist", ".git", ".mypy_cache", ".ruff_cache"})
    check(not junk, f"the sdist has no build or tool folders ({junk or 'none'})")
    check(not any("__pycache__" in n for n in names), "the sdist has no __pycache__")
    check("llmaestro/_data/catalog.json" not in names, "the sdist has no compiled bundle")

    with zipfile.ZipFile(wheel) as whl:
        files = set(whl.namelist())
        bundle = (
            whl.read("llmaestro/_data/catalog.json")
            if "llmaestro/_data/catalog.json" in (files)
            else b""
        )
        schemas = {
            name: json.loads(whl.read(f"llmaestro/_data/schemas/{name}"))
            for name in SCHEMAS
            if f"llmaestro/_data/schemas/{name}" in files
        }
        metadata = next(whl.read(n).decode() for n in files if n.endswith(".dist-info/METADATA"))
    check(bundle.startswith(b'{"format":"llmaestro-bundle"'), "the wheel has the compiled bundle")
    check(len(schemas) == len(SCHEMAS), f"the wheel has the authoring schemas {SCHEMAS}")
    for name, schema in schemas.items():
        check(str(schema.get("$id", "")).endswith("/" + name), f"{name} has its $id")
    check("llmaestro/py.typed" in files, "the wheel is typed (py.typed)")
    check("llmaestro/_data/tiktoken/o200k_base.tiktoken" in files, "the wheel has the encodings")
    check(not any(f.startswith(("tests/", "catalog/")) for f in files), "the wheel is lean")
    requires = [
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]
    core = [r for r in requires if "extra ==" not in r]
    check(len(core) <= MAX_CORE_DISTRIBUTIONS - 1, f"core dependencies are few: {core}")
    extras = {
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Provides-Extra:")
    }
    wanted = {"tokens", "clients", "redis", "authoring", "site", "all"}
    check(wanted <= extras, f"the wheel provides the extras {sorted(wanted)}")


# --- inside a fresh virtual environment ---------------------------------------------------------


def _outside_checkout() -> None:
    import llmaestro
    from llmaestro import loader

    package = Path(llmaestro.__file__).resolve().parent
    check("site-packages" in package.parts, f"llmaestro is the installed one ({package})")
    check(
        Path(loader.default_catalog()) == package / "_data" / "catalog.json",
        "load() reads the bundled catalog",
    )


def installed() -> None:
    import llmaestro

    _outside_checkout()
    registry = llmaestro.load()
    check(len(registry.ids) > 1000, f"the bundled catalog has {len(registry.ids)} offerings")
    out = run(command("llmaestro"), "show", "openai/gpt-4o")
    check("openai/gpt-4o" in out.stdout, "`llmaestro show openai/gpt-4o` works")


def core() -> None:
    from importlib import metadata

    names = sorted({d.metadata["Name"].lower() for d in metadata.distributions()} - SEED)
    check(
        len(names) <= MAX_CORE_DISTRIBUTIONS and "llmaestro" in names,
        f"the core install is {len(names)} distributions: {names}",
    )
    _outside_checkout()

    from decimal import Decimal

    import llmaestro
    from llmaestro.cost import Usage, cost

    registry = llmaestro.load()
    gpt = registry.get("openai/gpt-4o")
    check(gpt.limits is not None and (gpt.limits.context or 0) > 0, "get() has limits")
    check(gpt.pricing is not None and isinstance(gpt.pricing.input, Decimal), "prices are Decimal")
    found = registry.query(capabilities=["vision"], min_context=128_000, sort="input_price")
    check(len(found) > 0, f"query() finds {len(found)} vision models")
    total = cost("openai/gpt-4o", Usage(input_tokens=1000, output_tokens=500)).total
    check(isinstance(total, Decimal) and total > 0, f"cost() is {total} USD")
    loaded = sorted(HEAVY & {m.split(".")[0] for m in sys.modules})
    check(not loaded, f"reading the catalog imports no optional dependency ({loaded or 'none'})")

    from llmaestro.llm.llm_registry import LLMRegistry
    from llmaestro.llm.provider_registry import Provider, ProviderRegistry

    vision = LLMRegistry().get_models_by_capability("supports_vision", min_context_window=16000)
    check(len(vision) > 0, "the seed's LLMRegistry works")
    seed = ProviderRegistry().register_provider(
        "anthropic",
        Provider(api_base="https://api.anthropic.com", rate_limits={"requests_per_minute": 60}),
    )
    check(seed.api is not None, "the seed's ProviderRegistry works")
    for module in (
        "llmaestro.llm.models",
        "llmaestro.llm.capability_detector",
        "llmaestro.llm.rate_limiter",
        "llmaestro.llm.token_utils",
        "llmaestro.llm.interfaces",
    ):
        __import__(module)
    ok("the seed's llmaestro.llm.* modules import")

    from llmaestro.errors import MissingDependencyError
    from llmaestro.llm.token_utils import count_tokens

    try:
        count_tokens("Hello, world", "openai/gpt-4o")
    except MissingDependencyError as exc:
        check(
            "pip install 'llmaestro[tokens]'" in str(exc),
            f"count_tokens() without tiktoken says: {exc}",
        )
    else:
        fail("count_tokens() worked without tiktoken installed")

    cli = command("llmaestro")
    listing = json.loads(run(cli, "models", "--json").stdout)
    check(isinstance(listing, list) and len(listing) > 1000, "`llmaestro models --json` lists")
    check(all("id" in item for item in listing[:50]), "`--json` listings carry ids")
    run(cli, "show", "anthropic/claude-sonnet-4-5")
    run(cli, "providers")
    out = run(cli, "cost", "-m", "openai/gpt-4o", "--input", "1000", "--output", "100", expect=None)
    check(out.returncode == 0, f"`llmaestro cost` works: {out.stderr.strip()[-300:]}")
    stats = run(cli, "stats", expect=None)
    providers = re.search(r"providers: (\d+)", stats.stdout)
    check(
        stats.returncode == 0 and providers is not None and int(providers.group(1)) > 0,
        f"`llmaestro stats` counts the bundled catalog: {stats.stdout.splitlines()[:1]} "
        f"{stats.stderr.strip()[-300:]}",
    )
    export_dir = Path.cwd() / "exports"
    export_dir.mkdir(exist_ok=True)
    for fmt in ("json", "sqlite"):
        target = export_dir / f"catalog.{fmt}"
        run(cli, "export", "--format", fmt, "--out", str(target))
        check(target.stat().st_size > 100_000, f"`llmaestro export --format {fmt}` writes")
    needs_extra = ((["validate", "."], "authoring"), (["tokens", "-", "--model", "x"], "tokens"))
    for args, extra in needs_extra:
        out = run(cli, *args, expect=1)
        lines = out.stderr.strip().splitlines()
        check(
            len(lines) == 1 and f"pip install 'llmaestro[{extra}]'" in lines[0],
            f"`llmaestro {args[0]}` without its extra says one line: {lines}",
        )

    from importlib import resources

    schema = resources.files("llmaestro") / "_data" / "schemas" / "offering.schema.json"
    check(json.loads(schema.read_text("utf-8"))["type"] == "object", "the schemas are shipped")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


SCHEMA_URL = "https://llmaestro.github.io/llmaestro/schemas/v1/"


def private_catalog(root: Path) -> tuple[Path, Path]:
    """A small private catalog: one provider and one offering on a public canonical model.
    Returns (the valid catalog, a broken copy)."""
    good = root / "private"
    _write(
        good / "providers" / "acme" / "provider.yaml",
        f"# yaml-language-server: $schema={SCHEMA_URL}provider.schema.json\n"
        "name: Acme AI gateway\n"
        "api:\n"
        "  style: openai-chat\n"
        "  base_url: https://llm.acme.example/v1\n"
        "  auth:\n"
        "    env: [ACME_LLM_KEY]\n"
        "    header: Authorization\n"
        "    scheme: Bearer\n",
    )
    _write(
        good / "providers" / "acme" / "models" / "gpt-4o-mini.yaml",
        f"# yaml-language-server: $schema={SCHEMA_URL}offering.schema.json\n"
        "base: openai/gpt-4o-mini\n"
        "pricing:\n"
        "  input: 0.12\n"
        "  output: 0.48\n",
    )
    broken = root / "broken"
    shutil.copytree(good, broken, dirs_exist_ok=True)
    _write(
        broken / "providers" / "acme" / "models" / "gpt-4o-mini.yaml",
        f"# yaml-language-server: $schema={SCHEMA_URL}offering.schema.json\n"
        "base: openai/gpt-4o-mini\n"
        "pricing:\n"
        "  input: 0.12\n"
        "  ouput: 0.48\n",
    )
    return good, broken


def extras(root: Path) -> None:
    _outside_checkout()
    from llmaestro.llm.token_utils import count_tokens

    counted = count_tokens("Hello, world", "openai/gpt-4o")
    check(
        counted.value == 3 and counted.exact and counted.method == "tiktoken:o200k_base",
        f"count_tokens() with tiktoken: {counted}",
    )

    good, broken = private_catalog(root)
    cli = command("llmaestro")
    out = run(cli, "validate", str(good), expect=None)
    known(
        "validate-private-base",
        out.returncode == 0,
        f"`llmaestro validate` passes a private catalog whose offering has `base: "
        f"openai/gpt-4o-mini`: exit {out.returncode} {(out.stdout + out.stderr).strip()[-400:]}",
    )
    out = run(cli, "validate", str(broken), expect=None)
    located = re.search(r"gpt-4o-mini\.yaml:\d+:\d+: LM\d{3} ", out.stdout + out.stderr)
    check(
        out.returncode == 1 and located is not None,
        f"`llmaestro validate` fails a broken private catalog with a located error: "
        f"{(out.stdout + out.stderr).strip()[-300:]}",
    )

    import llmaestro

    merged = llmaestro.load(overlays=[good])
    offering = merged.get("acme/gpt-4o-mini")
    check(
        offering.pricing is not None and str(offering.pricing.input) == "0.12",
        "load(overlays=[private]) merges the private catalog",
    )


def main(argv: list[str]) -> None:
    mode, *args = argv
    print(f"smoke.py {mode} ({sys.executable})", flush=True)
    os.environ.pop("LLMAESTRO_BUNDLE", None)
    os.environ.pop("LLMAESTRO_CATALOG_PATH", None)
    if mode == "artifacts":
        artifacts(Path(args[0]), Path(args[1]))
    elif mode == "core":
        core()
    elif mode == "extras":
        extras(Path(args[0]))
    elif mode == "installed":
        installed()
    elif mode == "private":
        good, broken = private_catalog(Path(args[0]))
        print(good, broken)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
