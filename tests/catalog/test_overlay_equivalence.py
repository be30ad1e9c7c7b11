"""What validates is what loads: `llmaestro validate OVERLAY --base-catalog BASE` and
`llmaestro.load(catalog=BASE, overlays=[OVERLAY])` agree on every fixture overlay (valid and
invalid), down to the diagnostics; each case's output is also a golden file."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import llmaestro
from llmaestro.catalog.bundle import compile_catalog
from llmaestro.catalog.diagnostics import Diagnostic, format_text
from llmaestro.catalog.overlay import rebase
from llmaestro.catalog.resolve import deep_merge
from llmaestro.cli import main
from llmaestro.errors import CatalogValidationError
from llmaestro.registry import DeprecatedModelWarning
from tests.conftest import FIXTURES

OVERLAYS = FIXTURES / "overlays"
CASES = sorted(p.name for p in (OVERLAYS / "cases").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def base_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base") / "base.json"
    compile_catalog(OVERLAYS / "base", out)
    return out


@pytest.fixture(autouse=True)
def _no_env_overlays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLMAESTRO_CATALOG_PATH", raising=False)
    monkeypatch.delenv("LLMAESTRO_BUNDLE", raising=False)


def validate(*args: str) -> tuple[int, list[dict[str, Any]]]:
    res = CliRunner().invoke(main, ["validate", *args, "--format", "json"])
    assert res.exit_code in (0, 1), res.output
    problems: list[dict[str, Any]] = json.loads(res.stdout)["problems"]
    return res.exit_code, problems


def load_errors(base: Path, overlay: str) -> list[dict[str, Any]] | None:
    try:
        llmaestro.load(catalog=base, overlays=[overlay])
    except CatalogValidationError as exc:
        return [asdict(d) for d in exc.diagnostics]
    return None


def test_there_are_valid_and_invalid_cases() -> None:
    valid = [c for c in CASES if c.startswith("valid-")]
    assert len(valid) >= 7 and len(CASES) - len(valid) >= 15


@pytest.mark.parametrize("case", CASES)
def test_validate_agrees_with_load(
    case: str, base_bundle: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool
) -> None:
    monkeypatch.chdir(OVERLAYS / "cases" / case)
    code, problems = validate("overlay", "--base-catalog", str(base_bundle))
    loaded = load_errors(base_bundle, "overlay")
    errors = [p for p in problems if p["severity"] == "error"]
    assert (code == 1) == (loaded is not None)
    assert errors == (loaded or [])
    assert case.startswith("valid-") == (code == 0), errors
    text = format_text([Diagnostic(**p) for p in problems])
    golden = Path("expected.txt")
    if update_goldens:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8"), f"run pytest --update-goldens and review {case}"


@pytest.mark.parametrize("case", CASES)
def test_naming_the_files_checks_the_whole_overlay(
    case: str, base_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What pre-commit passes (the changed files) gives the folder's diagnostics."""
    monkeypatch.chdir(OVERLAYS / "cases" / case)
    files = sorted(str(p) for p in Path("overlay").rglob("*.yaml"))
    by_folder = validate("overlay", "--base-catalog", str(base_bundle))
    assert validate(*files, "--base-catalog", str(base_bundle)) == by_folder


def test_default_base_is_the_bundle_load_reads(
    base_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_BUNDLE", str(base_bundle))
    monkeypatch.chdir(OVERLAYS / "cases" / "valid-fine-tune-on-public-model")
    assert validate("overlay") == (0, [])
    monkeypatch.chdir(OVERLAYS / "cases" / "base-unknown")
    code, problems = validate("overlay")
    assert code == 1 and [p["code"] for p in problems] == ["LM030"]


def test_merged_facts(base_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(OVERLAYS / "cases")

    def load(case: str) -> llmaestro.Registry:
        return llmaestro.load(catalog=base_bundle, overlays=[f"{case}/overlay"])

    r = load("valid-negotiated-price")
    one = r.get("acme/acme-one")
    assert one.pricing is not None and (str(one.pricing.input), str(one.pricing.output)) == (
        "0.80",
        "2.00",
    )
    assert one.aliases == ("acme-one-latest",)

    provider = load("valid-partial-provider").provider("acme")
    assert provider.name == "Acme" and provider.api is not None
    assert provider.api.base_url == "https://proxy.corp.example/v1"
    assert provider.api.auth is not None and provider.api.auth.env == ("ACME_API_KEY",)

    ft = load("valid-fine-tune-on-public-model").get("mine", provider="acme")
    assert ft.model == "ft:acme-one:mine" and ft.base == "acmelab/acme-one"
    assert ft.limits is not None and ft.limits.context == 100000
    assert ft.capabilities is not None and ft.capabilities.tool_calling is True

    private = load("valid-private-provider").get("private/acme-two")
    assert private.limits is not None
    assert (private.limits.context, private.limits.max_output) == (200000, None)

    with pytest.warns(DeprecatedModelWarning):
        small = load("valid-more-aliases").get("acme-s", provider="acme")
    assert small.model == "acme-small"


def test_a_changed_canonical_model_reaches_its_inheritors(
    base_bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(OVERLAYS / "cases" / "valid-canonical-change")
    r = llmaestro.load(catalog=base_bundle, overlays=["overlay"])
    assert r.canonical_model("acmelab/acme-one").name == "Acme One (2025)"
    one, mini, beta = r.get("acme/acme-one"), r.get("acme/acme-one-mini"), r.get("beta/acme-one")
    assert one.name == beta.name == "Acme One (2025)"
    assert one.limits is not None and (one.limits.context, one.limits.max_output) == (
        120000,
        8000,
    )
    # what an offering sets itself stays
    assert mini.name == "Acme One Mini"
    assert mini.limits is not None and mini.limits.context == 16000
    assert beta.limits is not None and (beta.limits.context, beta.limits.max_output) == (
        120000,
        6000,
    )
    # the untouched offering is as compiled
    with pytest.warns(DeprecatedModelWarning):
        small, compiled = (
            r.get("acme/acme-small"),
            llmaestro.load(catalog=base_bundle).get("acme/acme-small"),
        )
    assert small == compiled


# --- a changed canonical model, as a property --------------------------------------------------

_SHAPE: dict[str, Any] = {"a": None, "b": None, "d": {"x": None, "y": None, "z": {"p": None}}}


@st.composite
def _facts(draw: st.DrawFn, leaf: st.SearchStrategy[Any], shape: dict[str, Any] = _SHAPE) -> Any:
    out: dict[str, Any] = {}
    for key, sub in shape.items():
        if not draw(st.booleans()):
            continue
        value = draw(leaf) if sub is None else draw(_facts(leaf, sub))
        if value != {}:
            out[key] = value
    return out


@given(
    old=_facts(st.integers(0, 2)),
    new=_facts(st.integers(0, 2)),
    own=_facts(st.sampled_from(["s", "t"])),
)
def test_rebase_is_resolving_over_the_new_canonical_model(
    old: dict[str, Any], new: dict[str, Any], own: dict[str, Any]
) -> None:
    """An offering resolved over `old` (its own facts differ from the canonical model's), then
    rebased on `new`, is the offering resolved over `new`."""
    resolved = deep_merge(old, own)
    assert rebase(resolved, old, new) == deep_merge(new, own)
    assert rebase(resolved, old, old) == resolved


# --- hostile overlay files, through both paths -------------------------------------------------

_SEEDS = {
    "providers/acme/models/acme-one.yaml": "valid-negotiated-price",
    "providers/acme/provider.yaml": "valid-partial-provider",
    "models/acmelab/acme-one.yaml": "valid-canonical-change",
}
_NASTY = [
    b"[" * 1500 + b"]" * 1500,
    b"{a: " * 1200 + b"1" + b"}" * 1200,
    b"7" * 4400,
    b"1" + b"_" * 3000 + b"x",
    b"1e99999",
    b"9007199254740993",
    b"\x00",
    b"\x7f",
    b"\xff\xfe",
    b"\xe2\x80\xa8",
    b"\r",
    b"\t",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"---\n",
    b"'",
    b'"',
    b": ",
    b"- ",
    b"\n  ",
    b"~",
    b"sk-proj-" + b"Ab3dEf6hIj9kLm2nOp5qRs8t",
]


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(sorted(_SEEDS)))
    text = (OVERLAYS / "cases" / _SEEDS[path] / "overlay" / path).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 8))
        piece = draw(st.one_of(st.sampled_from(_NASTY), st.binary(max_size=6)))
        text = text[:at] + piece + text[at + cut :]
    return path, text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=_mutated())
def test_hostile_overlay_files_are_located_errors_in_both_paths(
    case: tuple[str, bytes], base_bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever an overlay file holds, `load(overlays=)` succeeds or raises
    CatalogValidationError (never RecursionError, ValueError...) with located, one-line
    diagnostics, and `validate` reports the same errors."""
    path, text = case
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    (root / "overlay" / path).parent.mkdir(parents=True)
    (root / "overlay" / path).write_bytes(text)
    monkeypatch.chdir(root)
    loaded = load_errors(base_bundle, "overlay")
    code, problems = validate("overlay", "--base-catalog", str(base_bundle))
    assert (code == 1) == (loaded is not None)
    # as printed: `--format json` holds control characters escaped, the exception raw
    shown = [Diagnostic(**p).format() for p in problems if p["severity"] == "error"]
    assert shown == [Diagnostic(**p).format() for p in loaded or []]
    for problem in loaded or []:
        assert problem["path"].startswith("overlay") and problem["line"] >= 1
        assert "\n" not in Diagnostic(**problem).format()
