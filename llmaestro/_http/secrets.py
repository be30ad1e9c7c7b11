"""A credential that never shows itself: ``repr(Secret("sk-..."))`` is ``Secret('***')``.

A key shorter than :data:`~llmaestro._http.redact.MIN_SECRET_LENGTH` characters is refused
(:class:`~llmaestro.errors.ProviderConfigError`): no real key is that short, and redacting
it would mask every ``o`` of every report (``OPENAI_API_KEY=o``).
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable

from llmaestro._http.redact import MASK as _MASK
from llmaestro._http.redact import MIN_SECRET_LENGTH, redact, remember
from llmaestro.errors import ProviderConfigError

__all__ = ["Secret", "check_key"]


def check_key(value: str, source: str = "an API key") -> None:
    """Raise :class:`~llmaestro.errors.ProviderConfigError` when ``value`` is set but shorter
    than :data:`MIN_SECRET_LENGTH`, or holds a control character (a line break would end
    the header it is sent in) or a non-ASCII one (no header can carry it). ``source``
    names where it came from; the value is never shown."""
    length = len(value.strip())
    if 0 < length < MIN_SECRET_LENGTH:
        raise ProviderConfigError(
            f"{source} is too short to be a key ({length} of at least {MIN_SECRET_LENGTH} "
            "characters): a placeholder or a typo?"
        )
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value.strip()):
        raise ProviderConfigError(f"{source} holds a control character (a line break?)")
    if not value.isascii():  # no header can carry it; typically a pasted typographic quote
        raise ProviderConfigError(f"{source} holds a non-ASCII character (a pasted quote?)")


class Secret:
    """An API key (or any credential) kept out of reprs, ``str()``, f-strings, logs and
    pickles. Read it on purpose with :meth:`get_secret_value`.

    >>> key = Secret("sk-abc-123456")
    >>> key, str(key), f"{key}"
    (Secret('***'), '***', '***')

    An empty value is allowed (it is falsy: no key); a non-empty one shorter than
    :data:`MIN_SECRET_LENGTH` raises :class:`~llmaestro.errors.ProviderConfigError`. While
    a Secret lives, :func:`llmaestro._http.redact.redact` masks it in any text, even text
    whose producer does not know the key (a library's log line).
    """

    __slots__ = ("__weakref__", "_value")

    _value: str

    def __init__(self, value: str | Secret, *, source: str = "an API key") -> None:
        if isinstance(value, Secret):
            value = value.get_secret_value()
        if not isinstance(value, str):
            raise TypeError(f"a Secret holds a str, got {type(value).__name__}")
        check_key(value, source)
        object.__setattr__(self, "_value", value)
        if value:
            remember(self)  # redact() masks it everywhere while it lives

    @classmethod
    def from_env(cls, names: Iterable[str]) -> Secret | None:
        """The first non-empty environment variable among ``names``, or None. Raises
        :class:`~llmaestro.errors.ProviderConfigError` (naming the variable) when its value
        is too short to be a key. Surrounding whitespace (a line break left by ``echo`` or
        an ``.env`` file) is dropped."""
        for name in names:
            value = (os.environ.get(name) or "").strip()
            if value:
                return cls(value, source=f"the key in ${name}")
        return None

    def get_secret_value(self) -> str:
        """The credential itself."""
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with the credential masked in every form it is echoed in (any case,
        base64, URL-encoded, cut, ``first8****last4``), and every key shape and key
        environment variable too (:func:`llmaestro._http.redact.redact`). Apply it to the
        whole text before cutting it."""
        return redact(text, (self,))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Secret is immutable")

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, spec: str) -> str:
        return _MASK

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, len(self._value)))

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self
