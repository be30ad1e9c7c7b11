"""The issue's fuzz run: a few thousand mutated catalog files, every one answered within 1 s,
never an exception, every problem located and printed on one line.

A seeded mutator (reproducible: a failure names its seed and mutation) rewrites one file of a
small catalog made of real catalog files (a provider, offerings that inherit from canonical
models, those models) with hostile values and byte-level damage, and validates the catalog
through the entry ``llmaestro validate --base-catalog none`` uses (``validate_targets``).
Mutants that validate are also loaded and exported in every format: anything that validates
exports.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import llmaestro
from llmaestro.catalog.diagnostics import Diagnostic, format_github, format_json, format_text
from llmaestro.catalog.rules import RULES
from llmaestro.exports import EXPORT_FORMATS, write_export
from llmaestro.targets import NO_BASE, Base, validate_targets
from tests.conftest import GOLDEN_TODAY, ROOT

#: mutants per run, and the seed (fixed: a failure replays)
MUTANTS = 2000
SEED = 14
#: how many of the mutants that validate are also loaded and exported (each costs ~50 ms)
EXPORTED = 40

SECRET = "sk-proj-Zq8vR2mT5xW9yB3nK7pL4sD6fH1jG0aQeUcV"
HOSTILE_VALUES: tuple[str, ...] = (
    "1" + "_" * 30_000 + "x",
    "1" + "0" * 400,
    "1" + "0" * 4400,
    "9007199254740993",
    "9007199254740992",
    "-1",
    "0",
    "1e400",
    "1e-200",
    "1e99999999999999999999999",
    "0.000000000000000000000001",
    "'x\\nvalid: 1 files, 0 errors'",
    '"x\\nvalid: 1 files, 0 errors"',
    '"\\e]0;pwned\\a"',
    '"\\e[31mred"',
    "[" * 990 + "]" * 990,
    "{a: " * 200 + "1" + "}" * 200,
    SECRET,
    f"[{SECRET}]",
    f'"Bearer {SECRET}"',
    "yes",
    "0x1f",
    "017",
    "1:30",
    ".nan",
    "2025-02-31",
    "2025-13",
    "2025-01-01T25:00:00",
    "~",
    "",
    "&a x",
    "*a",
    "!!binary aGk=",
    "x" * 5000,
    "'" + "é" * 300 + "'",
    "[text, text]",
    "{}",
    "[]",
    "- a",
)
HOSTILE_BYTES: tuple[bytes, ...] = (
    b"\x00",
    b"\x7f",
    b"\x1b]0;pwned\x07",
    b"\xc2\x85",  # NEL
    "\u2028".encode(),
    "\u2029".encode(),
    b"\r",
    b"\t",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"---\n",
    b"<<: {a: 1}\n",
    b": \n",
    b"%YAML 1.1\n",
    f"{SECRET}: 1\n".encode(),
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _mini_catalog(dest: Path) -> list[Path]:
    """One real provider, its offerings and the canonical models they inherit from, copied
    from the catalog; returns the files to mutate (the provider, offerings with and without
    `base:`, canonical models)."""
    src = ROOT / "catalog"
    provider = src / "providers" / "anthropic"
    offerings = sorted((provider / "models").glob("*.yaml"))
    copied: list[Path] = []
    for path in [provider / "provider.yaml", *offerings]:
        match = re.search(rb"^base: *(\S+)", path.read_bytes(), re.MULTILINE)
        sources = [path]
        if match:
            lab, model = match.group(1).decode().split("/", 1)
            sources.append(src / "models" / lab / f"{model}.yaml")
        for source in sources:
            target = dest / source.relative_to(src)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                copied.append(target)
    inheriting = [p for p in copied if b"base:" in p.read_bytes()]
    alone = [p for p in copied if "/models/" in str(p) and p not in inheriting]
    canonical = [p for p in copied if p.relative_to(dest).parts[0] == "models"]
    return [
        copied[0],
        *inheriting[:3],
        *[p for p in alone if p not in canonical][:2],
        *canonical[:3],
    ]


def _value_spans(text: bytes) -> list[tuple[int, int]]:
    return [m.span(1) for m in re.finditer(rb"^[ -]*[A-Za-z_]+: *([^\n]+)$", text, re.MULTILINE)]


Mutation = Callable[[random.Random, bytes], bytes]


def _replace_value(rng: random.Random, text: bytes) -> bytes:
    spans = _value_spans(text)
    if not spans:
        return text
    start, end = rng.choice(spans)
    return text[:start] + rng.choice(HOSTILE_VALUES).encode() + text[end:]


def _insert_bytes(rng: random.Random, text: bytes) -> bytes:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(HOSTILE_BYTES) + text[at:]


def _random_bytes(rng: random.Random, text: bytes) -> bytes:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.randbytes(rng.randrange(1, 8)) + text[at:]


def _delete_range(rng: random.Random, text: bytes) -> bytes:
    start = rng.randrange(len(text) + 1)
    return text[:start] + text[start + rng.randrange(1, 40) :]


def _shuffle_lines(rng: random.Random, text: bytes) -> bytes:
    lines = text.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines[i], lines[j] = lines[j], lines[i]
    elif choice == 1:
        lines.insert(i, lines[j])  # a duplicated key or item
    elif choice == 2:
        lines[i] = b"  " * rng.randrange(1, 4) + lines[i]
    else:
        lines[i] = lines[i].lstrip()
    return b"\n".join(lines)


def _line_ends(rng: random.Random, text: bytes) -> bytes:
    return text.replace(b"\n", rng.choice((b"\r\n", b"\r", "\u2028".encode(), b"\xc2\x85")))


def _new_key(rng: random.Random, text: bytes) -> bytes:
    key = rng.choice(("nmae", "kind", "limits", SECRET, "x" * 300, "id", "base", "aliases"))
    return text + f"{key}: {rng.choice(HOSTILE_VALUES)}\n".encode()


def _truncate(rng: random.Random, text: bytes) -> bytes:
    return text[: rng.randrange(len(text) + 1)]


MUTATIONS: tuple[Mutation, ...] = (
    _replace_value,
    _replace_value,
    _replace_value,
    _insert_bytes,
    _random_bytes,
    _delete_range,
    _shuffle_lines,
    _line_ends,
    _new_key,
    _truncate,
)


def _editor_lines(raw: bytes) -> int:
    text = raw.decode("utf-8", "replace")
    return len(re.split("\r\n|\r|\n", text))


def _check_printed(diagnostics: list[Diagnostic]) -> None:
    text, github = format_text(diagnostics), format_github(diagnostics)
    document = json.loads(format_json(diagnostics, {}))
    for out in (text, github):
        lines = out.splitlines()
        assert len(lines) == len(document["problems"]) == len(diagnostics), out[:2000]
        assert not any(_CONTROL.search(line) for line in lines), out[:2000]
        assert SECRET not in out
    assert all(
        line.startswith(("::error file=", "::warning file=")) for line in github.splitlines()
    )
    assert SECRET not in json.dumps(document)


def test_mutated_catalog_files_are_answered_in_time_located_and_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLMAESTRO_CACHE_DIR", str(tmp_path / "cache"))
    # a key CI holds: masked wherever it appears, even glued to a neighbouring word
    monkeypatch.setenv("FUZZ_API_KEY", SECRET)
    root = tmp_path / "catalog"
    files = _mini_catalog(root)
    originals = {path: path.read_bytes() for path in files}
    assert validate_targets([root], Base.of(NO_BASE), today=GOLDEN_TODAY).result.ok
    lines_of = {str(p): _editor_lines(p.read_bytes()) for p in root.rglob("*.yaml")}
    rng = random.Random(SEED)
    exported = valid = 0
    for n in range(MUTANTS):
        path = rng.choice(files)
        mutation = rng.choice(MUTATIONS)
        raw = originals[path]
        for _ in range(rng.randrange(1, 3)):
            raw = mutation(rng, raw)
        path.write_bytes(raw)
        where = f"mutant {n} ({mutation.__name__} of {path.relative_to(root)}): {raw[:300]!r}"
        start = time.process_time()
        result = validate_targets([root], Base.of(NO_BASE), today=GOLDEN_TODAY).result
        spent = time.process_time() - start
        assert spent < 1.0, f"{where} took {spent:.2f} s"
        lines_of[str(path)] = _editor_lines(raw)
        for d in result.diagnostics:
            assert d.code in RULES, (where, d)
            assert d.line >= 1 and d.column >= 1, (where, d)
            if d.path in lines_of:
                assert d.line <= lines_of[d.path] + 1, (where, d.format())
            else:
                assert d.path == str(root), (where, d.format())
        _check_printed(result.diagnostics)
        if result.ok:
            valid += 1
            if exported < EXPORTED and mutation is _replace_value:
                exported += 1
                registry = llmaestro.load(catalog=root)
                for fmt in EXPORT_FORMATS:
                    write_export(registry, fmt, tmp_path / f"export.{fmt}")
        path.write_bytes(originals[path])
        lines_of[str(path)] = _editor_lines(originals[path])
    # the run explores: both outcomes occur, and the exports were exercised
    assert 0 < valid < MUTANTS
    assert exported > 10, exported
