"""Bad input to the read commands (show, models list, cost, tokens, providers) is one line on
stderr and exit 1 or 2, never a traceback or "internal error": random argv and values
(hypothesis), and the cases the hardening issue reproduced, in real subprocesses where the
environment is the point (a closed standard input, ``/dev/full``, ``PYTHONIOENCODING``)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmaestro.cli.common import one_line
from llmaestro.cli.main import main
from llmaestro.exports import export_json
from tests.exports._fixtures import sample_registry

KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0" * 3


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "catalog.json"
    path.write_text(export_json(sample_registry()), "utf-8")
    return path


def _llmaestro(
    *args: str, stdin: int | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = [str(Path(sys.executable).with_name("llmaestro")), *args]
    full_env = {**os.environ, **(env or {})}
    if isinstance(stdin, bytes):
        return subprocess.run(
            command, input=stdin, capture_output=True, env=full_env, timeout=120, check=False
        )
    return subprocess.run(
        command, stdin=stdin, capture_output=True, env=full_env, timeout=120, check=False
    )


def invoke(args: list[str], input: bytes | None = None) -> Result:
    return CliRunner().invoke(main, args, input=input, prog_name="llmaestro")


def assert_one_line_error(code: int, stderr: str, codes: tuple[int, ...] = (1, 2)) -> str:
    assert code in codes, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    return lines[0]


def assert_well_behaved(result: Result) -> None:
    """What every run must do, whatever its input."""
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    if result.exit_code:
        assert len(result.stderr.strip().splitlines()) <= 1, result.stderr


# --- the reproduced cases ---------------------------------------------------------------------


def test_tokens_reads_at_most_max_bytes_of_an_endless_file() -> None:
    done = _llmaestro("tokens", "/dev/zero", "-m", "o200k_base", "--max-bytes", "1000")
    line = assert_one_line_error(done.returncode, done.stderr.decode(), (1,))
    assert (
        line
        == "llmaestro: error: /dev/zero is larger than 1,000 bytes (the --max-bytes of `tokens`)"
    )


def test_tokens_on_a_closed_standard_input() -> None:
    done = _llmaestro("tokens", "-", "-m", "o200k_base", stdin=subprocess.DEVNULL)
    assert done.returncode == 0  # empty input: 0 tokens
    closed = subprocess.run(
        [str(Path(sys.executable).with_name("llmaestro")), "tokens", "-", "-m", "o200k_base"],
        stdin=None,
        capture_output=True,
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    line = assert_one_line_error(closed.returncode, closed.stderr.decode(), (1,))
    assert "standard input" in line


def test_tokens_refuses_text_that_is_not_utf8() -> None:
    done = _llmaestro("tokens", "-", "-m", "o200k_base", stdin=b"fine\xff\xfe")
    line = assert_one_line_error(done.returncode, done.stderr.decode(), (1,))
    assert line.endswith(
        "standard input is not UTF-8 text (byte 0xff at offset 4); `tokens` counts text"
    )


@pytest.mark.parametrize("value", ["1e29", "100000000000000000000000000000", "-1", "9" * 5000])
def test_cost_counts_out_of_range_are_usage_errors(value: str) -> None:
    result = invoke(["cost", "-m", "gpt-4o", "--input", value, "--output", "1"])
    line = assert_one_line_error(result.exit_code, result.stderr, (2,))
    assert line.startswith("llmaestro cost: usage error: Invalid value for '--input'")
    assert line.endswith("(see `llmaestro cost --help`)")


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("args", [["models", "list", "--json"], ["providers", "--json"]])
def test_json_output_is_valid_in_any_output_encoding(
    encoding: str, args: list[str], catalog: Path
) -> None:
    done = _llmaestro(*args, "--catalog", str(catalog), env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr
    json.loads(done.stdout.decode(encoding))


def test_text_output_survives_an_encoding_that_lacks_a_character(catalog: Path) -> None:
    done = _llmaestro(
        "show", "\u2013\u00e9", "--catalog", str(catalog), env={"PYTHONIOENCODING": "latin-1"}
    )
    line = assert_one_line_error(done.returncode, done.stderr.decode("latin-1"), (1,))
    assert "\\u2013\u00e9" in line


def test_a_full_standard_output_is_one_line(catalog: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with Path("/dev/full").open("wb") as full:
        done = subprocess.run(
            [
                str(Path(sys.executable).with_name("llmaestro")),
                "models",
                "list",
                "--json",
                "--catalog",
                str(catalog),
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    line = assert_one_line_error(done.returncode, done.stderr.decode(), (1,))
    assert line == "llmaestro: error: cannot write standard output: No space left on device"


def test_errors_mask_keys_and_escape_control_characters(catalog: Path) -> None:
    hostile = f"\x1b]0;owned\x07{KEY}\nvalid: 0 errors"
    result = invoke(["show", hostile, "--catalog", str(catalog)])
    line = assert_one_line_error(result.exit_code, result.stderr, (1,))
    assert KEY[:12] not in line and "\x1b" not in line and "\x07" not in line
    assert "\\x1b]0;owned\\x07" in line


def test_one_line_redacts_before_it_cuts() -> None:
    text = "x" * 3990 + f" Bearer {KEY}"
    line = one_line(text)
    assert KEY[:8] not in line and len(line) <= 4001


def test_a_catalog_error_is_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "catalog"
    (broken / "providers" / "p").mkdir(parents=True)
    result = invoke(["providers", "--catalog", str(broken)])
    line = assert_one_line_error(result.exit_code, result.stderr, (1,))
    assert line.startswith("llmaestro: error: ")


# --- random argv ------------------------------------------------------------------------------

_HOSTILE = st.sampled_from(
    [
        "",
        "-",
        "--",
        "1e29",
        "-1",
        "9" * 400,
        "nan",
        "inf",
        "0x10",
        "1_000",
        "2.5",
        "\x00",
        "\x1b[2J",
        "\u2028",
        "\udcff",
        KEY,
        "gpt-4o",
        "openai/gpt-4o",
        "openai",
        "o200k_base",
        "/dev/null",
        "/nonexistent",
        "2026-13-45",
        "batch",
        "tool_calling",
    ]
)
_VALUES = st.one_of(_HOSTILE, st.text(max_size=20))
_OPTIONS = {
    "show": ["--json"],
    "models": [
        "list",
        "--capability",
        "--kind",
        "--min-context",
        "--max-input-price",
        "--provider",
        "--status",
        "--released-after",
        "--sort",
        "--limit",
        "--json",
    ],
    "cost": [
        "-m",
        "--input",
        "--output",
        "--cache-read",
        "--images",
        "--batch",
        "--service-tier",
        "--at",
        "--requests",
        "--json",
    ],
    "tokens": ["-m", "--max-bytes", "--json"],
    "providers": ["--json"],
}


_HOSTILE_STDIN = [
    b"[" * 100_000,
    b"[" * 5000 + b"]" * 5000,
    b'{"messages": [{"role": "user", "content": ' + b"[" * 5000 + b"]" * 5000 + b"}]}",
    b'[{"role": "user", "content": 12, "tool_calls": 5}]',
    b'{"messages": [{"role": "user", "content": "hi"}], "tools": [{"x": ' + b"9" * 5000 + b"}]}",
    b"\xef\xbb\xbfhello",
    b"\xff\xfe",
]
_STDIN = st.sampled_from(_HOSTILE_STDIN)


@pytest.mark.parametrize("stdin", _HOSTILE_STDIN)
@pytest.mark.parametrize("model", ["o200k_base", "openai/gpt-4o"])
def test_tokens_on_hostile_standard_input(stdin: bytes, model: str) -> None:
    assert_well_behaved(invoke(["tokens", "-", "-m", model], input=stdin))


@st.composite
def _argv(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(sorted(_OPTIONS)))
    words = draw(st.lists(st.one_of(st.sampled_from(_OPTIONS[command]), _VALUES), max_size=6))
    if command == "models" and "--limit" not in words:
        words += ["--limit", "3"]  # the whole listing is slow to print, and says nothing more
    return [command, *words]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=_argv(), stdin=st.one_of(st.binary(max_size=64), _STDIN))
def test_random_argv_to_the_read_commands(argv: list[str], stdin: bytes, catalog: Path) -> None:
    if argv[0] in ("show", "models", "providers"):
        argv = [*argv, "--catalog", str(catalog)]
    result = invoke(argv, input=stdin)
    assert_well_behaved(result)


@pytest.mark.parametrize(
    ("price", "ok"),
    [
        ("2.5", True),
        ("$0.15", True),
        ("1e-3", True),
        (".5", True),
        ("1e400", True),
        ("1_0", False),
        ("\u0663", False),
        ("-0", False),
        ("nan", False),
        ("1e99999", False),
    ],
)
def test_a_price_option_is_ascii_decimal(price: str, ok: bool, catalog: Path) -> None:
    result = invoke(["models", "--max-input-price", price, "--catalog", str(catalog)])
    assert_well_behaved(result)
    assert (result.exit_code == 0) == ok, result.output


@pytest.mark.parametrize(
    ("redirect", "args", "code"),
    [
        (">&-", ["providers"], 1),  # nothing could be printed: a failure, as `ls >&-`
        ("2>&-", ["show", "nope"], 1),
        (">&- 2>&-", ["providers", "--json"], 1),
        ("<&- >&-", ["tokens", "-", "-m", "o200k_base"], 1),
    ],
)
def test_closed_standard_streams(redirect: str, args: list[str], code: int, catalog: Path) -> None:
    if "tokens" not in args:
        args = [*args, "--catalog", str(catalog)]
    command = " ".join(
        shlex.quote(a) for a in [str(Path(sys.executable).with_name("llmaestro")), *args]
    )
    done = subprocess.run(
        ["sh", "-c", f"exec {command} {redirect}"], capture_output=True, timeout=120, check=False
    )
    assert done.returncode == code, done.stderr
    assert b"Traceback" not in done.stderr and len(done.stderr.splitlines()) <= 1


HOSTILE_NAME = "Acme\x1b]0;pwned\x07\x1b[2J\nvalid: 0 errors\u2028x\x9b2J\x7f\u202e"


@pytest.fixture(scope="module")
def hostile_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample catalog with an offering and a provider named to forge lines and drive
    the terminal."""
    from llmaestro.registry.core import Registry
    from tests.exports._fixtures import sample_document

    doc = sample_document()
    doc["offerings"][0]["name"] = HOSTILE_NAME
    doc["offerings"][0]["description"] = HOSTILE_NAME
    first = next(iter(doc["providers"]))
    doc["providers"][first]["name"] = HOSTILE_NAME
    path = tmp_path_factory.mktemp("hostile-names") / "catalog.json"
    path.write_text(export_json(Registry.from_document(doc)), "utf-8")
    return path


@pytest.mark.parametrize("args", [["providers"], ["models", "list"], ["show", "FIRST"]])
def test_catalog_text_is_shown_not_obeyed(args: list[str], hostile_catalog: Path) -> None:
    if args[-1] == "FIRST":
        listing = json.loads(invoke(["models", "--json", "--catalog", str(hostile_catalog)]).stdout)
        args = ["show", next(o["id"] for o in listing if o.get("name") == HOSTILE_NAME)]
    result = invoke([*args, "--catalog", str(hostile_catalog)])
    assert result.exit_code == 0, result.output
    for bad in ("\x1b", "\x07", "\u2028", "\x9b", "\x7f", "\u202e"):
        assert bad not in result.stdout
    assert not any(line.startswith("valid: 0 errors") for line in result.stdout.splitlines())
    if args[0] != "models":  # the listing shows no names
        assert "\\x1b]0;pwned\\x07" in result.stdout


def test_a_warning_is_one_line(tmp_path: Path) -> None:
    """A warning (here: no cache can be written, so the catalog folder is compiled in memory)
    is `llmaestro: warning: ...`, one line, not Python's two with a source line of click's."""
    from tests.catalog.importers.conftest import make_repo

    repo = make_repo(tmp_path / "repo")
    repo.run()
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x", "utf-8")
    cache = {"LLMAESTRO_CACHE_DIR": str(not_a_folder)}
    done = _llmaestro("providers", "--catalog", str(repo.catalog), env=cache)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("llmaestro: warning: not using the cache folder"), lines[0]


@pytest.mark.parametrize("args", [["providers", "--json"], ["models", "--json"]])
def test_json_output_is_terminal_safe_and_the_same_data(
    args: list[str], hostile_catalog: Path
) -> None:
    result = invoke([*args, "--catalog", str(hostile_catalog)])
    assert result.exit_code == 0, result.output
    for bad in ("\x1b", "\x07", "\u2028", "\x9b", "\x7f", "\u202e", "\n  valid"):
        assert bad not in result.stdout
    names = [item.get("name") for item in json.loads(result.stdout)]
    assert HOSTILE_NAME in names
