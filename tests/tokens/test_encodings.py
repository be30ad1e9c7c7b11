"""Shipped OpenAI encodings: integrity, equality with tiktoken, laziness, no network."""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tiktoken
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmaestro.tokens import count as token_utils
from llmaestro.tokens import encodings
from llmaestro.tokens.count import count_message_tokens, count_tokens, get_encoding

REPO = Path(__file__).resolve().parents[2]
NAMES = ("o200k_base", "cl100k_base")
SPECIALS = [
    "<|endoftext|>",
    "<|endofprompt|>",
    "<|fim_prefix|>",
    "<|fim_middle|>",
    "<|fim_suffix|>",
    "<|im_start|>",
    "<|start|>",
]


def _block_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make every outgoing connection attempt fail loudly; return the attempts."""
    attempts: list[object] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access attempted during token counting")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tiktoken.Encoding]:
    """tiktoken's own encodings, built by ``tiktoken_ext.openai_public`` from a pre-seeded
    cache (key: sha1 of the blob URL), so that tiktoken's code path loads them offline."""
    from tiktoken_ext import openai_public  # type: ignore[import-untyped]

    cache = tmp_path_factory.mktemp("tiktoken-cache")
    for name in NAMES:
        url = encodings.ENCODINGS[name].url
        key = hashlib.sha1(url.encode()).hexdigest()
        shutil.copyfile(encodings.rank_file(name), cache / key)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", str(cache))
        _block_network(mp)
        built = {name: tiktoken.Encoding(**getattr(openai_public, name)()) for name in NAMES}
    return built


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """Forget loaded encodings before and after the test."""
    encodings._clear_cache()
    yield
    encodings._clear_cache()


# --------------------------------------------------------------------------- integrity


def _sums() -> dict[str, str]:
    lines = (encodings.DATA_DIR / "SHA256SUMS").read_text().splitlines()
    return {line.split()[1]: line.split()[0] for line in lines if line.strip()}


@pytest.mark.parametrize("name", NAMES)
def test_shipped_file_matches_sha256sums(name: str) -> None:
    path = encodings.rank_file(name)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert _sums()[path.name] == digest
    assert encodings.ENCODINGS[name].sha256 == digest


def test_shipped_files_live_inside_the_package() -> None:
    package_dir = Path(token_utils.__file__).resolve().parents[1]
    assert encodings.DATA_DIR.is_relative_to(package_dir)
    assert set(_sums()) == {f"{name}.tiktoken" for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_definitions_equal_tiktoken(name: str, reference: dict[str, tiktoken.Encoding]) -> None:
    ours, ref = get_encoding(name), reference[name]
    assert ours.name == ref.name
    assert ours._pat_str == ref._pat_str
    assert ours._special_tokens == ref._special_tokens
    assert ours._mergeable_ranks == ref._mergeable_ranks
    assert ours.n_vocab == ref.n_vocab


@pytest.mark.parametrize("name", NAMES)
def test_shipped_ranks_are_sequential(name: str) -> None:
    """load_ranks skips parsing the rank column of the verified files: check it is 0..n-1."""
    path = encodings.rank_file(name)
    parsed = encodings._parse_ranks(path.read_bytes(), path)
    assert list(parsed.values()) == list(range(len(parsed)))
    assert encodings.load_ranks(name) == parsed


def test_corrupted_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    data = bytearray(encodings.rank_file("cl100k_base").read_bytes())
    data[100] ^= 1
    (tmp_path / "cl100k_base.tiktoken").write_bytes(bytes(data))
    monkeypatch.setattr(encodings, "DATA_DIR", tmp_path)
    with pytest.raises(token_utils.TokenizerDataError, match="corrupted"):
        get_encoding("cl100k_base")


def test_missing_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    monkeypatch.setattr(encodings, "DATA_DIR", tmp_path)
    with pytest.raises(token_utils.TokenizerDataError, match="cannot read"):
        get_encoding("o200k_base")


def test_unknown_encoding_name() -> None:
    with pytest.raises(token_utils.TokenizerDataError, match="no shipped encoding"):
        get_encoding("p50k_base")


# --------------------------------------------------------------------------- equality

_pieces = st.one_of(
    st.text(max_size=40),
    st.sampled_from([*SPECIALS, " ", "  ", "\n", "\r\n", "\t", "'s", "'LL", "1234567", "ü"]),
    st.text(alphabet=st.characters(categories=["Cs", "Zs", "Nd", "Lo", "Mn"]), max_size=8),
)
_texts = st.lists(_pieces, max_size=12).map("".join)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_texts)
def test_counts_equal_tiktoken(
    name: str, text: str, reference: dict[str, tiktoken.Encoding]
) -> None:
    ref = reference[name]
    expected = ref.encode(text, disallowed_special=())
    assert get_encoding(name).encode_ordinary(text) == expected
    count = count_tokens(text, name)
    assert count == token_utils.TokenCount(len(expected), True, f"tiktoken:{name}")


@pytest.mark.parametrize(
    ("model", "name"), [("gpt-4o-mini", "o200k_base"), ("gpt-4", "cl100k_base")]
)
def test_large_mixed_text_equals_tiktoken(
    model: str, name: str, reference: dict[str, tiktoken.Encoding]
) -> None:
    text = (
        Path(threading.__file__).read_text(encoding="utf-8")
        + "Grüße, 世界! Привет мир. مرحبا بالعالم 🎉👩‍💻 <|endoftext|>\n" * 200
    )
    assert count_tokens(text, model).value == len(reference[name].encode_ordinary(text))


# --------------------------------------------------------------------------- runtime


def test_loaded_once_thread_safe(monkeypatch: pytest.MonkeyPatch, fresh_cache: None) -> None:
    calls: list[str] = []
    real: Callable[[str], dict[bytes, int]] = encodings.load_ranks

    def counting(name: str) -> dict[bytes, int]:
        calls.append(name)
        return real(name)

    monkeypatch.setattr(encodings, "load_ranks", counting)
    results: list[object] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        results.append(get_encoding("cl100k_base"))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6
    assert all(r is results[0] for r in results)
    assert calls == ["cl100k_base"]


def test_no_network_during_load_and_count(
    monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    attempts = _block_network(monkeypatch)
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)
    assert count_tokens("hello <|endoftext|> world", "gpt-4o").exact
    assert count_tokens("hello world", "gpt-3.5-turbo").exact
    assert not count_tokens("hello world", "claude-3-haiku").exact
    messages = [{"role": "user", "content": "hi", "name": "bob"}]
    assert count_message_tokens(messages, "gpt-4o").value > 0
    assert attempts == []


def test_import_is_lazy_and_never_writes_tiktoken_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    code = (
        "import sys\n"
        "import llmaestro.tokens.count as tu\n"
        "assert 'tiktoken' not in sys.modules, 'tiktoken imported at import time'\n"
        "assert tu.count_tokens('hello world', 'gpt-4o').value == 2\n"
        "assert 'tiktoken' in sys.modules\n"
    )
    env = {"PATH": "/usr/bin:/bin", "TIKTOKEN_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env, timeout=60)
    assert list(cache.iterdir()) == []
