"""A credential that never shows itself: ``repr(Secret("sk-..."))`` is ``Secret('***')``."""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterable

__all__ = ["Secret"]

_MASK = "***"


class Secret:
    """An API key (or any credential) kept out of reprs, ``str()``, f-strings, logs and
    pickles. Read it on purpose with :meth:`get_secret_value`.

    >>> key = Secret("sk-abc")
    >>> key, str(key), f"{key}"
    (Secret('***'), '***', '***')
    """

    __slots__ = ("_value",)

    _value: str

    def __init__(self, value: str) -> None:
        if isinstance(value, Secret):
            value = value.get_secret_value()
        if not isinstance(value, str):
            raise TypeError(f"a Secret holds a str, got {type(value).__name__}")
        object.__setattr__(self, "_value", value)

    @classmethod
    def from_env(cls, names: Iterable[str]) -> Secret | None:
        """The first non-empty environment variable among ``names``, or None."""
        for name in names:
            value = os.environ.get(name)
            if value:
                return cls(value)
        return None

    def get_secret_value(self) -> str:
        """The credential itself."""
        return self._value

    def redact(self, text: str) -> str:
        """``text`` with every occurrence of the credential replaced by ``***``."""
        if self._value and self._value in text:
            return text.replace(self._value, _MASK)
        return text

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
