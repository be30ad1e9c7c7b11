"""A server-sent events (``text/event-stream``) decoder fed line by line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SSEDecoder", "SSEEvent"]


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event: ``event`` is its type (``"message"`` when unnamed)."""

    event: str
    data: str
    id: str | None = None


class SSEDecoder:
    """Decodes lines (without their line terminators) into :class:`SSEEvent` objects.

    Follows the WHATWG rules that matter here: ``data:`` lines accumulate (joined with
    ``\\n``), a blank line dispatches, comments (``:``) are skipped, one space after the
    colon is dropped, unknown fields are ignored, and an event without data is not
    dispatched.
    """

    __slots__ = ("_data", "_event", "_id")

    def __init__(self) -> None:
        self._event: str | None = None
        self._data: list[str] = []
        self._id: str | None = None

    def feed(self, line: str) -> SSEEvent | None:
        """Feed one line; returns the event a blank line completes, if any."""
        line = line.rstrip("\r\n")
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        return None

    def flush(self) -> SSEEvent | None:
        """The event pending at the end of the stream (no final blank line), if any."""
        return self._dispatch()

    def _dispatch(self) -> SSEEvent | None:
        if not self._data:
            self._event = None
            return None
        event = SSEEvent(self._event or "message", "\n".join(self._data), self._id)
        self._event = None
        self._data = []
        return event
