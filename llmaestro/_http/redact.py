"""Keys out of every text that leaves the process, and control characters out of every line.

Three functions, for anything that prints, logs, raises, reports or writes provider or
catalog text (error messages, retry lines, validator findings, PR bodies, annotations):

* :func:`redact` masks credentials with ``***``. Call it on the *whole* text, before any
  cut: a key straddling a cut is no longer recognisable, so truncation comes after.
* :func:`looks_like_secret` says whether a string holds something shaped like a key (the
  validator and the detectors refuse such values instead of echoing them).
* :func:`escape_control` makes text one terminal-safe line.
* :func:`safe_text` does all of it in the right order: redact the whole text, escape it,
  then cut it to a length (``…`` marks the cut).

What :func:`redact` masks
-------------------------
**Configured keys** (``secrets=``, every live :class:`~llmaestro._http.secrets.Secret` of
the process, and the values of the key environment variables, :func:`env_secrets`), each in
every form it is known to be echoed in:

* the key itself, in any letter case (providers and proxies upper-case headers);
* any run of key characters (``A-Za-z0-9_-``) holding the key's first or last 12
  characters, so a key cut short (or extended by a neighbouring word) still goes whole;
* its base64 (standard and URL-safe) at each of the three byte alignments, so it is found
  inside a longer encoded string such as ``Basic base64(user:key)``;
* its URL encoding, when that differs;
* the fragments providers echo: the first 8 characters, a run of mask characters
  (``*``, ``.``, ``…``, ``•``) and optionally the last 4 (OpenAI's 401 message says
  ``sk-proj-****…abcd``).

Keys shorter than :data:`MIN_SECRET_LENGTH` characters are not masked: masking ``o`` would
turn every ``o`` of a report into ``***``. :class:`~llmaestro._http.secrets.Secret` refuses
them as a configuration error, so they never get this far.

**Key shapes**, configured or not: a known prefix (``sk-``, ``sk-ant-``, ``AIza``,
``ghp_``/``gho_``/``ghu_``/``ghs_``/``ghr_``, ``github_pat_``, ``gsk_``, ``xai-``, ``hf_``,
``pplx-``, ``r8_``) that starts a word, followed by a *key-like body*; ``Bearer``/``Basic``
followed by a key-like token; ``api_key=``/``key=``/``token=``/``secret=``/``password=``
(``:`` too, quoted or not) followed by a key-like value. Only the body is masked
(``sk-ant-***``, ``Bearer ***``), so the reader still sees which kind of key it was. And a
key a provider masked itself, unknown here: a word of 3 to 16 key characters, 4 or more
``*`` and up to 8 key characters (``sk-proj-********abcd`` → ``***``).

A body is *key-like* when it has at least 20 characters (30 after ``AIza``; 16 after
``Bearer``, ``Basic`` and ``key=``) and an unbroken run of 10 or more letters and digits
that holds a digit or mixes upper and lower case. Random keys meet this with certainty;
model ids do not, since they are short words joined by ``-``: ``pplx-decider-v1-27b``,
``gpt-4o-mini``, ``sk-model``, ``task-llama-3-70b-instruct`` (no word start at ``sk-``)
are never flagged.
"""

from __future__ import annotations

import base64
import functools
import math
import os
import re
import threading
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # pragma: no cover
    from llmaestro._http.secrets import Secret

__all__ = [
    "MASK",
    "MIN_SECRET_LENGTH",
    "add_key_env_names",
    "env_secrets",
    "escape_control",
    "looks_like_secret",
    "may_hold_secret",
    "redact",
    "remember",
    "safe_text",
]

#: What a masked credential becomes.
MASK = "***"
#: Shortest credential that is recognised (and, in :class:`Secret`, accepted).
MIN_SECRET_LENGTH = 8
#: Environment variables whose values are keys: ``*_API_KEY``, ``*_KEY``, ``*_TOKEN``,
#: ``*_SECRET``, ``*_PAT`` ... (and the names given to :func:`add_key_env_names`).
KEY_ENV_NAME = re.compile(
    r"(?:^|_)(?:API_?KEY|KEY|TOKEN|SECRET|ACCESS_KEY|PASSWORD|PAT)$", re.IGNORECASE
)
_EXTRA_NAMES: set[str] = set()
#: Every Secret alive in the process (each adds itself), so that text with no caller to name
#: the key (a third-party library's log line) is still redacted.
#: Keyed by ``id``: equal Secrets are distinct entries, so one going leaves the other.
_LIVE: weakref.WeakValueDictionary[int, Secret] = weakref.WeakValueDictionary()
_LIVE_LOCK = threading.Lock()

_ANCHOR = 12  # characters of a key's start or end that identify it
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_MASK_RUN = r"(?:\*|\.|…|•|·)"
_RUN = re.compile(r"[A-Za-z0-9]{10,}")
#: The three kinds of key shape, each searched on its own (one's match must not hide
#: another's: ``token: Bearer eyJ…``), with the group holding the part to mask and the
#: shortest key-like length of that part.
_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(?<![A-Za-z0-9])(?P<prefix>sk-ant-|sk-|AIza|gh[pousr]_|github_pat_|gsk_|xai-"
            r"|hf_|pplx-|r8_)(?P<body>[A-Za-z0-9_-]+)",
            re.IGNORECASE,
        ),
        "body",
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9])(?:Bearer|Basic)\s+(?P<token>[A-Za-z0-9._~+/-]+=*)", re.IGNORECASE
        ),
        "token",
    ),
    (
        re.compile(
            r"(?<![A-Za-z0-9])(?:api[_-]?key|access[_-]?token|key|token|secret|password)"
            r"[\"']?\s*[=:]\s*[\"']?(?P<value>[A-Za-z0-9._~+/-]+=*)",
            re.IGNORECASE,
        ),
        "value",
    ),
)
_MIN_BODY = {"aiza": 30}
#: A key some provider masked itself (``sk-proj-****…****abcd``): its visible ends go too.
_FRAGMENT = re.compile(
    r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{3,16}\*{4,}[A-Za-z0-9_-]{0,8}(?![A-Za-z0-9_-])"
)


def _key_like(body: str, minimum: int) -> bool:
    """The body rule of the module documentation."""
    if len(body) < minimum:
        return False
    for run in _RUN.findall(body):
        if any(c.isdigit() for c in run) or (not run.islower() and not run.isupper()):
            return True
    return False


def _shape_span(match: re.Match[str], group: str) -> tuple[int, int] | None:
    """The part of a :data:`_SHAPES` match to mask, or None when it is not key-like."""
    if group == "body":
        minimum = _MIN_BODY.get(match.group("prefix").lower(), 20)
    else:
        minimum = 16
    if not _key_like(match.group(group), minimum):
        return None
    return match.span(group)


def _base64_cores(raw: bytes) -> list[str]:
    """The characters of ``raw``'s base64 that depend on ``raw`` alone, at each alignment
    it can have inside a longer encoded string (standard and URL-safe alphabets)."""
    found: list[str] = []
    n = len(raw)
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode("ascii")
        start = math.ceil(8 * pad / 6)
        end = (8 * (pad + n) - 6) // 6 + 1
        core = encoded[start:end]
        found.append(core)
        found.append(core.replace("+", "-").replace("/", "_"))
    return found


@functools.lru_cache(maxsize=64)
def _matchers(key: str) -> tuple[re.Pattern[str], re.Pattern[str] | None, tuple[str, ...]]:
    """For one key: the case-insensitive pattern of its anchors and fragments, the
    case-insensitive pattern of its URL encoding, and its exact base64 forms."""
    anchors = {key[:_ANCHOR], key[-_ANCHOR:]}
    parts = [re.escape(key)]  # whole, for a key with characters the runs stop at (. / +)
    parts += [re.escape(a) for a in sorted(anchors, key=len, reverse=True)]
    parts.append(re.escape(key[:8]) + _MASK_RUN + "+(?:" + re.escape(key[-4:]) + ")?")
    main = re.compile("|".join(parts), re.IGNORECASE)
    quoted = quote(key, safe="")
    url = re.compile(re.escape(quoted), re.IGNORECASE) if quoted != key else None
    cores = tuple(dict.fromkeys(_base64_cores(key.encode("utf-8"))))
    return main, url, cores


def _key_spans(text: str, key: str) -> list[tuple[int, int]]:
    main, url, cores = _matchers(key)
    chars = _KEY_CHARS | set(key) | set(key.upper()) | set(key.lower())
    whole = {key[:_ANCHOR].lower(), key[-_ANCHOR:].lower(), key.lower()}
    spans: list[tuple[int, int]] = []
    done = 0  # text before this is covered; searching on from the end keeps this linear
    match = main.search(text)
    while match is not None:
        start, end = match.span()
        if match.group(0).lower() in whole:
            # the whole run of key characters around an anchor goes
            while start > done and text[start - 1] in chars:
                start -= 1
            while end < len(text) and text[end] in chars:
                end += 1
        spans.append((start, end))
        done = end
        match = main.search(text, end)
    if url is not None:
        spans.extend(m.span() for m in url.finditer(text))
    for core in cores:
        at = text.find(core)
        while at >= 0:
            spans.append((at, at + len(core)))
            at = text.find(core, at + 1)
    return spans


def remember(secret: Secret) -> None:
    """Mask ``secret`` in every later :func:`redact` for as long as it lives."""
    with _LIVE_LOCK:
        _LIVE[id(secret)] = secret


def _live() -> list[Secret]:
    with _LIVE_LOCK:  # another thread may be adding one
        return list(_LIVE.values())


def add_key_env_names(names: Iterable[str]) -> None:
    """Make :func:`redact` mask these environment variables' values too, whatever their
    names: the catalog's ``auth.env`` names (e.g. ``PRIVATEMODE_ENDPOINT``) are not known
    down here, so whoever reads them (the client factory, the detectors) adds them."""
    _EXTRA_NAMES.update(names)


def env_secrets(environ: Mapping[str, str] | None = None) -> list[str]:
    """The values of the key environment variables (:data:`KEY_ENV_NAME` and those added
    by :func:`add_key_env_names`) long enough to be recognised; ``environ`` defaults to
    ``os.environ``."""
    env = os.environ if environ is None else environ
    found: list[str] = []
    for name in env:  # names only: values are read (decoded) for key names alone
        if name in _EXTRA_NAMES or _is_key_name(name):
            value = env.get(name, "").strip()
            if len(value) >= MIN_SECRET_LENGTH:
                found.append(value)
    return found


@functools.lru_cache(maxsize=1024)
def _is_key_name(name: str) -> bool:
    return KEY_ENV_NAME.search(name) is not None


def _values(secrets: Iterable[str | Secret]) -> list[str]:
    values: list[str] = []
    for secret in secrets:
        value = secret if isinstance(secret, str) else secret.get_secret_value()
        value = value.strip()
        if len(value) >= MIN_SECRET_LENGTH:
            values.append(value)
    return values


def _spans(text: str, secrets: Iterable[str | Secret]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for key in dict.fromkeys(_values(secrets) + _values(_live()) + env_secrets()):
        spans.extend(_key_spans(text, key))
    for pattern, group in _SHAPES:
        for match in pattern.finditer(text):
            span = _shape_span(match, group)
            if span is not None:
                spans.append(span)
    if "****" in text:
        spans.extend(m.span() for m in _FRAGMENT.finditer(text))
    return spans


def redact(text: str, secrets: Iterable[str | Secret] = ()) -> str:
    """``text`` with every configured key (``secrets``, and the key environment variables'
    values) and every key shape masked, as the module documentation describes. Apply it to
    the whole text before cutting it."""
    spans = _spans(text, secrets)
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    done = 0
    for start, end in spans:
        if end <= done:
            continue
        if start >= done:
            out.append(text[done:start])
            out.append(MASK)
        done = end
    out.append(text[done:])
    return "".join(out)


def looks_like_secret(text: str, secrets: Iterable[str | Secret] = ()) -> bool:
    """True when ``text`` holds a key shape, or one of ``secrets`` or of the key environment
    variables' values in any form :func:`redact` masks."""
    return bool(_spans(text, secrets))


#: What every key shape starts with, in lower case (kept beside :data:`_SHAPES`).
_SHAPE_START = re.compile(
    r"sk-|aiza|gh[pousr]_|github_pat_|gsk_|xai-|hf_|pplx-|r8_|bearer\s|basic\s"
    r"|(?:key|token|secret|password)[\"']?\s*[=:]|\*\*\*\*"
)


@functools.lru_cache(maxsize=64)
def _tells(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Substrings one of which any text :func:`redact` masks ``key`` in holds: lower-case
    ones (the key's start and end, its URL encoding's start) and exact ones (base64)."""
    lower = {key[:8].lower(), key[-_ANCHOR:].lower(), quote(key, safe="")[:8].lower()}
    return tuple(lower), _matchers(key)[2]


def may_hold_secret(text: str, secrets: Iterable[str | Secret] = ()) -> bool:
    """A cheap test that is True whenever :func:`looks_like_secret` is (and sometimes when
    it is not), for code that checks many strings: run it once on a whole file's text
    (~25 µs, most of it reading the environment), and the full test on the strings of the
    files that pass."""
    lowered = text.lower()
    if _SHAPE_START.search(lowered):
        return True
    for key in dict.fromkeys(_values(secrets) + _values(_live()) + env_secrets()):
        lower, exact = _tells(key)
        if any(t in lowered for t in lower) or any(t in text for t in exact):
            return True
    return False


def _control_table() -> dict[int, str]:
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
    table: dict[int, str] = {}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = named.get(code, f"\\x{code:02x}")
    # line and paragraph separators, zero-width and bidirectional controls, BOM
    for code in [
        *range(0x200B, 0x2010),
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]:
        table[code] = f"\\u{code:04x}"
    return table


_CONTROL = _control_table()


def escape_control(text: str) -> str:
    """``text`` as one terminal-safe line: C0 and C1 controls, DEL, NEL, U+2028/U+2029,
    zero-width and bidirectional controls shown escaped (``\\n``, ``\\x1b``, ``\\u2028``), so
    provider or catalog text can neither forge output lines nor send escape sequences to
    a terminal. Backslashes stay as they are (paths stay readable)."""
    return text.translate(_CONTROL)


def safe_text(text: str, secrets: Iterable[str | Secret] = (), *, limit: int | None = None) -> str:
    """``text`` ready to leave the process: keys masked (:func:`redact`, on the whole text),
    control characters escaped (:func:`escape_control`), then cut to ``limit`` characters
    with ``…`` when longer. The order matters: a key cut first would no longer be found."""
    out = escape_control(redact(text, secrets))
    if limit is not None and len(out) > limit:
        out = out[:limit] + "…"
    return out
