"""The acceptance audit of the hardening issue: the points that failed when it was audited.

Each test reproduces one point of the issue as an attacker or a hostile environment would and
asserts what the issue promises, from the outside (the command line as a process, the public
API). Most failed at the audit's first pass and were fixed during it (the commit is named);
they stay as regression tests of the exact reproduction. A test marked ``xfail(strict=True)``
is a gap still open at the second pass: the suite stays green while it fails and turns red
the day it is fixed (drop the mark then), so a gap is never closed unseen.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import llmaestro
from llmaestro._http.retry import RetryPolicy
from llmaestro.catalog.diagnostics import format_github, format_json, format_text
from llmaestro.errors import CatalogError, LLMaestroError
from llmaestro.llm.interfaces import client_for
from llmaestro.targets import NO_BASE, Base, validate_targets
from tests._localserver import LocalServer, Recorded, Reply
from tests.conftest import FIXTURES, GOLDEN_TODAY, ROOT

VALID = FIXTURES / "catalog" / "valid" / "catalog"
OFFERING_HEADER = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"
#: the validator's file-size limit (1 MiB): the issue's "every file up to the limit"
MIB = 1 << 20


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the small valid catalog, and a private bundle cache."""
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "catalog"
    shutil.copytree(VALID, root)
    return root


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    full["PYTHONPATH"] = str(ROOT)
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "llmaestro", *args],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- validation ---------------------------------------------------------------------------


@pytest.mark.parametrize("layout", [(), ("providers", "models")], ids=["bare", "empty-subfolders"])
def test_an_empty_catalog_folder_is_refused_by_validate_as_by_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: tuple[str, ...]
) -> None:
    """An empty folder validated as an empty overlay (`valid`, exit 0) load() refused (9353415)."""
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    empty = tmp_path / "catalog"
    empty.mkdir()
    for name in layout:
        (empty / name).mkdir()
    with pytest.raises(CatalogError, match="LM042"):
        llmaestro.load(catalog=empty)  # load refuses it ...
    done = _cli("validate", str(empty), env={"LLMAESTRO_CACHE_DIR": str(tmp_path / "cache")})
    assert done.returncode == 1, done.stdout + done.stderr  # ... and so must validate
    assert "LM042" in done.stdout


def _at_the_limit(prefix: str, unit: str, suffix: str) -> str:
    count = (MIB - len(prefix) - len(suffix) - 64) // len(unit)
    return prefix + unit * count + suffix


def test_a_file_at_the_size_limit_with_half_a_million_nodes_validates_within_1_s(
    catalog: Path,
) -> None:
    """Linear was not enough: 500,000 nodes in 1 MiB took 1.3-1.7 s of CPU (eab0166: LM007)."""
    path = catalog / "providers/acme/models/acme-small.yaml"
    path.write_text(_at_the_limit(OFFERING_HEADER + "extra: [", "1,", "1]\n"), "utf-8")
    assert path.stat().st_size <= MIB
    validate_targets([VALID], Base.of(NO_BASE), today=GOLDEN_TODAY)  # imports and caches warm
    start = time.process_time()
    result = validate_targets([catalog], Base.of(NO_BASE), today=GOLDEN_TODAY).result
    spent = time.process_time() - start
    assert not result.ok
    assert any(d.path.endswith("acme-small.yaml") and d.line == 2 for d in result.diagnostics)
    assert spent < 1.0, f"{spent:.2f} s of CPU"


#: a key with no recognisable prefix (Mistral's are 32 letters and digits): pasted into
#: ``auth.env`` by mistake, as the issue describes
SHAPELESS_KEY = "".join(
    random.Random(14).choices("ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789", k=32)
)


def test_a_key_of_no_known_shape_pasted_into_auth_env_is_never_printed(catalog: Path) -> None:
    """Only key shapes were masked: a Mistral-style key in auth.env was quoted (f12cc70)."""
    provider = catalog / "providers/acme/provider.yaml"
    text = provider.read_text("utf-8").replace("env: [ACME_API_KEY]", f"env: [{SHAPELESS_KEY}]")
    provider.write_text(text, "utf-8")
    result = validate_targets([catalog], Base.of(NO_BASE), today=GOLDEN_TODAY).result
    assert not result.ok
    assert any(d.path.endswith("provider.yaml") for d in result.diagnostics)
    for out in (
        format_text(result.diagnostics),
        format_github(result.diagnostics),
        format_json(result.diagnostics, {}),
    ):
        assert SHAPELESS_KEY not in out
        assert SHAPELESS_KEY[:16] not in out and SHAPELESS_KEY[-16:] not in out


# --- secrets in logs ----------------------------------------------------------------------

ECHOED_KEY = "sk-proj-Audit7q2Wm9Xc4Rv8Tb1Ny6Hs3Kd5Lf0Pg"


def test_a_key_echoed_in_a_response_header_never_reaches_the_debug_log(
    catalog: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The filter sat on `httpcore`, which never logs itself; its children do (e098ea9)."""

    def route(request: Recorded) -> Reply:
        return Reply(
            401,
            json={"error": {"message": "bad key"}},
            headers={"x-request-id": ECHOED_KEY, "x-echo": f"Bearer {ECHOED_KEY}"},
        )

    server = LocalServer(route)
    registry = llmaestro.load(catalog=catalog)

    caplog.set_level(logging.DEBUG)
    try:
        with (
            client_for(
                "acme",
                api_key=ECHOED_KEY,
                base_url=server.url + "/v1",
                registry=registry,
                retry=RetryPolicy(max_attempts=1),
            ) as client,
            pytest.raises(LLMaestroError) as caught,
        ):
            client.chat([{"role": "user", "content": "hi"}], "acme-small", max_tokens=5)
    finally:
        server.close()
    assert ECHOED_KEY not in str(caught.value)
    assert any(r.name.startswith("httpcore") for r in caplog.records)  # the log was on
    assert ECHOED_KEY not in caplog.text
    assert ECHOED_KEY[8:24] not in caplog.text


# --- the command line: one line, exit 1 or 2, never an internal error ----------------------


def test_an_unusable_cache_is_one_warning_line_on_the_command_line(
    tmp_path: Path, catalog: Path
) -> None:
    """Python's warning format printed click's source line as a second line."""
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x", "utf-8")
    done = _cli("models", "--catalog", str(catalog), env={"LLMAESTRO_CACHE_DIR": str(not_a_folder)})
    assert done.returncode == 0, done.stderr
    assert "acme/acme-small" in done.stdout  # compiled in memory, and went on
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "cache" in lines[0] and "click" not in lines[0]


def test_show_escapes_control_characters_of_catalog_text(tmp_path: Path, catalog: Path) -> None:
    """Escaped control characters in catalog text validate; `show` printed them raw (326d1cc)."""
    offering = catalog / "providers/acme/models/acme-small.yaml"
    text = offering.read_text("utf-8").replace(
        "name: Acme Small",
        'name: "Acme\\e]0;pwned\\a\\e[2JSmall"\ndescription: "one\\nvalid: 0 errors"',
    )
    offering.write_text(text, "utf-8")
    done = _cli("show", "acme/acme-small", "--catalog", str(catalog))
    shown = done.stdout + done.stderr
    assert "\x1b" not in shown and "\x07" not in shown, shown
    assert not any(line.startswith("valid: 0 errors") for line in shown.splitlines()), shown


#: the command line under a file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored): every write past
#: the limit fails with EFBIG, as a full disk fails with ENOSPC, and standard output (a pipe)
#: is not affected by it
_SMALL_DISK = (
    "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200)); "
    "from llmaestro.cli.main import main; sys.argv[0] = 'llmaestro'; main()"
)


@pytest.mark.parametrize("command", ["import", "site"])
def test_a_full_disk_names_what_could_not_be_written(
    tmp_path: Path, catalog: Path, command: str
) -> None:
    """A file write's OSError has no filename and was reported as standard output (74a0396)."""
    out = tmp_path / "out"
    if command == "site":
        bundle = tmp_path / "catalog.bundle"  # compiled first: the cache could not be written
        assert _cli("compile", "--catalog", str(catalog), "--out", str(bundle)).returncode == 0
        args = ["site", "build", "--catalog", str(bundle), str(out)]
    else:
        source = tmp_path / "litellm-1.110.2-model_prices_and_context_window.json"
        source.write_text(
            '{"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": '
            '128000, "max_output_tokens": 16384, "input_cost_per_token": 2.5e-06, '
            '"output_cost_per_token": 1e-05}}',
            "utf-8",
        )
        args = ["import", "litellm", str(source), "--no-models-dev", "--out", str(out)]
        args += ["--manual", str(tmp_path / "no-manual")]
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    env.update(PYTHONPATH=str(ROOT), LLMAESTRO_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run(
        [sys.executable, "-c", _SMALL_DISK, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    assert "File too large" in lines[0]
    assert "standard output" not in lines[0]
    assert str(out) in lines[0], lines[0]


def test_compile_to_a_full_standard_output_is_one_line_and_exit_1(
    tmp_path: Path, catalog: Path
) -> None:
    """An `Exception ignored` traceback at the final flush, exit 120 (f087be0)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_TOKEN"))}
    env.update(PYTHONPATH=str(ROOT), LLMAESTRO_CACHE_DIR=str(tmp_path / "cache"))
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "llmaestro", "compile", "--catalog", str(catalog), "--out", "-"],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert len(lines) == 1, done.stderr
    assert "No space left on device" in lines[0]


# --- bundle trust ---------------------------------------------------------------------------


def test_a_compiled_bundle_with_a_flipped_price_byte_is_refused(
    tmp_path: Path, catalog: Path
) -> None:
    bundle = tmp_path / "catalog.bundle"
    done = _cli("compile", "--catalog", str(catalog), "--out", str(bundle))
    assert done.returncode == 0, done.stderr
    data = bytearray(bundle.read_bytes())
    at = data.find(b"1.00")
    assert at > 0
    data[at] = ord("9")
    bundle.write_bytes(bytes(data))
    try:
        registry = llmaestro.load(catalog=bundle)
    except CatalogError:
        return
    # what it serves instead: acme-one's input price read as 9.00, not 1.00
    pytest.fail(f"served {registry.get('acme/acme-one').pricing}")


def test_the_audit_fixture_is_valid_and_loads(catalog: Path) -> None:
    """The base every test above mutates is a valid catalog (else they prove nothing)."""
    assert validate_targets([catalog], Base.of(NO_BASE), today=GOLDEN_TODAY).result.ok
    pricing = llmaestro.load(catalog=catalog).get("acme/acme-one").pricing
    assert pricing is not None
    assert str(pricing.input) == "1.00"  # the byte the bundle test flips
