"""The OpenAI BPE encodings shipped inside the package, loaded offline.

The rank files (``o200k_base.tiktoken``, ``cl100k_base.tiktoken``) live in
``llmaestro/_data/tiktoken/`` next to a ``SHA256SUMS`` file. They are the exact files
tiktoken downloads from ``openaipublic.blob.core.windows.net``; the expected digests below
are the ones tiktoken itself pins in ``tiktoken_ext/openai_public.py``.

An encoding is built at most once per process, lazily, under a lock: the first call reads
the file, checks its sha256, parses the base64 rank lines and hands them to
``tiktoken.Encoding`` (the Rust BPE core). tiktoken's registry (``tiktoken.get_encoding``) is
never used, so nothing is ever downloaded nor written to tiktoken's cache directory.

``tiktoken`` itself is imported only on that first load, keeping ``import
llmaestro.tokens.count`` cheap.
"""

from __future__ import annotations

import binascii
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmaestro._optional import import_module
from llmaestro.errors import TokenizerDataError

if TYPE_CHECKING:  # pragma: no cover
    import tiktoken

__all__ = [
    "DATA_DIR",
    "ENCODINGS",
    "EncodingDefinition",
    "TokenizerDataError",
    "get_encoding",
    "is_encoding_name",
    "load_ranks",
    "rank_file",
]

#: Directory holding the shipped rank files and their ``SHA256SUMS``.
DATA_DIR: Path = Path(__file__).resolve().parent.parent / "_data" / "tiktoken"

_ENDOFTEXT = "<|endoftext|>"
_FIM_PREFIX = "<|fim_prefix|>"
_FIM_MIDDLE = "<|fim_middle|>"
_FIM_SUFFIX = "<|fim_suffix|>"
_ENDOFPROMPT = "<|endofprompt|>"

# Copied verbatim from tiktoken_ext/openai_public.py (tiktoken 0.7 .. 0.14).
_CL100K_PAT_STR = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_O200K_PAT_STR = "|".join(
    [
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
        r"""\p{N}{1,3}""",
        r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
        r"""\s*[\r\n]+""",
        r"""\s+(?!\S)""",
        r"""\s+""",
    ]
)


@dataclass(frozen=True, slots=True)
class EncodingDefinition:
    """Everything needed to build one ``tiktoken.Encoding`` offline."""

    name: str
    filename: str
    sha256: str
    pat_str: str
    special_tokens: dict[str, int]
    #: Upstream URL tiktoken downloads the same file from (used as tiktoken's cache key).
    url: str


ENCODINGS: dict[str, EncodingDefinition] = {
    "o200k_base": EncodingDefinition(
        name="o200k_base",
        filename="o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
        pat_str=_O200K_PAT_STR,
        special_tokens={_ENDOFTEXT: 199999, _ENDOFPROMPT: 200018},
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    ),
    "cl100k_base": EncodingDefinition(
        name="cl100k_base",
        filename="cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
        pat_str=_CL100K_PAT_STR,
        special_tokens={
            _ENDOFTEXT: 100257,
            _FIM_PREFIX: 100258,
            _FIM_MIDDLE: 100259,
            _FIM_SUFFIX: 100260,
            _ENDOFPROMPT: 100276,
        },
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
    ),
}

_cache: dict[str, tiktoken.Encoding] = {}
_locks: dict[str, threading.Lock] = {name: threading.Lock() for name in ENCODINGS}


def is_encoding_name(name: str) -> bool:
    """True when ``name`` is an encoding shipped with the package."""
    return name in ENCODINGS


def rank_file(name: str) -> Path:
    """Path of the shipped rank file of encoding ``name``."""
    return DATA_DIR / _definition(name).filename


def _definition(name: str) -> EncodingDefinition:
    try:
        return ENCODINGS[name]
    except KeyError:
        known = ", ".join(sorted(ENCODINGS))
        raise TokenizerDataError(f"no shipped encoding `{name}` (shipped: {known})") from None


def _parse_ranks(data: bytes, path: Path, *, sequential: bool = False) -> dict[bytes, int]:
    """Parse ``<base64 token> <rank>`` lines (the ``.tiktoken`` format).

    With ``sequential`` (only for files whose sha256 was verified and whose ranks are known
    to be 0, 1, 2, ... in file order) the rank column is not parsed, which saves ~25% of
    the load time.
    """
    parts = data.split()
    if len(parts) % 2:
        raise TokenizerDataError(f"{path}: odd number of fields, not a .tiktoken rank file")
    tokens = parts[0::2]
    try:
        if sequential:
            return dict(zip(map(binascii.a2b_base64, tokens), range(len(tokens)), strict=True))
        return dict(zip(map(binascii.a2b_base64, tokens), map(int, parts[1::2]), strict=True))
    except (binascii.Error, ValueError) as exc:
        raise TokenizerDataError(f"{path}: unparsable rank line ({exc})") from exc


def load_ranks(name: str) -> dict[bytes, int]:
    """Read, verify (sha256) and parse the shipped rank file of encoding ``name``."""
    definition = _definition(name)
    path = DATA_DIR / definition.filename
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TokenizerDataError(f"cannot read shipped tokenizer file {path}: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != definition.sha256:
        raise TokenizerDataError(
            f"{path} is corrupted: sha256 {digest}, expected {definition.sha256}"
        )
    # The verified files list their ranks as 0..n-1 in order (the test suite checks the
    # parsed ranks against tiktoken's own loader).
    return _parse_ranks(data, path, sequential=True)


def get_encoding(name: str) -> tiktoken.Encoding:
    """The ``tiktoken.Encoding`` named ``name``, built once from the shipped file.

    Thread-safe; never touches the network nor tiktoken's cache directory.
    """
    encoding = _cache.get(name)
    if encoding is not None:
        return encoding
    definition = _definition(name)
    with _locks[name]:
        encoding = _cache.get(name)
        if encoding is None:
            # lazy: keeps `import llmaestro.tokens.count` cheap (and working without it)
            tiktoken = import_module("tiktoken", "count_tokens()")
            encoding = tiktoken.Encoding(
                name=definition.name,
                pat_str=definition.pat_str,
                mergeable_ranks=load_ranks(name),
                special_tokens=dict(definition.special_tokens),
            )
            _cache[name] = encoding
    return encoding


def _clear_cache() -> None:
    """Forget the loaded encodings (tests and benchmarks only)."""
    for name in ENCODINGS:
        with _locks[name]:
            _cache.pop(name, None)
