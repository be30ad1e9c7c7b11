"""What the Redis backend sends to the Lua script, and what it makes of the answers.

Pure: no I/O and no ``redis`` import. Every operation is ``EVALSHA <sha> 2 <state hash>
<lease set> <operation> <time offset ms> ...`` (the layout each operation reads is in
:mod:`llmaestro.limits._lua`). An acquire's constant part (its rules) is encoded once per
key and plan, also as RESP bytes with the ``EVALSHA`` header and keys, so that each call
only encodes its few per-call values (:func:`acquire_tail`).
"""

from __future__ import annotations

from typing import Any

from llmaestro.limits._lua import SCRIPT, SCRIPT_SHA
from llmaestro.limits.backend import Decision
from llmaestro.limits.gcra import Costs, Plan

__all__ = [
    "Incomplete",
    "ReplyError",
    "acquire_args",
    "acquire_sources",
    "acquire_tail",
    "adjust_args",
    "bulk",
    "bulk_int",
    "decode",
    "pack_acquire",
    "pack_command",
    "parse_reply",
    "text",
    "to_eval",
]

_GRANTED = Decision(True)


def text(value: Any) -> str:
    """A Redis reply value as text."""
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def bulk(value: bytes) -> bytes:
    """One RESP bulk string."""
    return b"$%d\r\n%b\r\n" % (len(value), value)


_SMALL = tuple(bulk(b"%d" % i) for i in range(1024))


def bulk_int(value: int) -> bytes:
    """One RESP bulk string of an int's decimal digits."""
    if 0 <= value < 1024:
        return _SMALL[value]
    digits = b"%d" % value
    return b"$%d\r\n%b\r\n" % (len(digits), digits)


def acquire_sources(plan: Plan) -> tuple[int, ...]:
    """Which of the costs (requests, total, input, output) each rule of ``plan`` charges,
    in the order of the acquire's per-call arguments."""
    return tuple(g.source for g in plan.gcra) + tuple(d.source for d in plan.daily)


def acquire_args(plan: Plan) -> list[Any]:
    """The constant arguments of an acquire under ``plan`` (its rules), after the keys."""
    args: list[Any] = ["acquire", len(plan.gcra)]
    for g in plan.gcra:
        args += (g.field, repr(g.interval * 1000.0), repr(g.tau * 1000.0))
    args.append(len(plan.daily))
    for d in plan.daily:
        args += (d.field, d.limit, repr(d.reset_offset * 1000.0))
    args += (plan.concurrency or 0, repr(plan.lease_ttl * 1000.0))
    return args


def pack_acquire(keys: tuple[str, str], args: list[Any], plan: Plan) -> bytes:
    """The RESP head of an acquire: the array header (counting the tail still to come),
    ``EVALSHA``, the script's hash, both ``keys`` and the constant ``args``."""
    k1, k2 = keys
    total = 5 + len(args) + 1 + len(plan.gcra) + len(plan.daily) + 1
    head = [b"EVALSHA", SCRIPT_SHA.encode(), b"2", k1.encode(), k2.encode()]
    head += [str(a).encode() for a in args]
    return b"*%d\r\n" % total + b"".join(bulk(h) for h in head)


def acquire_tail(plan: Plan, offset: str, costs: Costs, lease_id: str | None) -> list[str]:
    """The per-call arguments of an acquire: time offset, cost per rule, lease id."""
    tail = [offset]
    tail += [str(costs[g.source]) for g in plan.gcra]
    tail += [str(costs[d.source]) for d in plan.daily]
    tail.append(lease_id or "")
    return tail


def adjust_args(plan: Plan, offset: str, deltas: Costs, days: tuple[int, ...]) -> list[Any]:
    """The arguments of an adjust: only the rules whose cost changes."""
    args: list[Any] = ["adjust", offset]
    rules = [g for g in plan.gcra if deltas[g.source] != 0]
    args.append(len(rules))
    for g in rules:
        args += (g.field, repr(deltas[g.source] * g.interval * 1000.0))
    dailies = [(i, d) for i, d in enumerate(plan.daily) if deltas[d.source] != 0]
    args.append(len(dailies))
    for i, d in dailies:
        day = days[i] if i < len(days) else -1
        args += (d.field, deltas[d.source], day, repr(d.reset_offset * 1000.0))
    return args


def decode(raw: Any, plan: Plan) -> Decision:
    """An acquire's answer: granted (with the quota days), or refused (wait, limit, exact)."""
    if raw.__class__ is int:
        return _GRANTED
    if int(raw[0]) == 1:
        return Decision(True, days=tuple(int(x) for x in raw[1:]))
    reason = text(raw[2])
    names = {g.field: g.name for g in plan.gcra} | {d.field: d.name for d in plan.daily}
    reason = names.get(reason, reason)
    return Decision(False, max(0.0, float(raw[1]) / 1000.0), reason, int(raw[3]) == 1)


def pack_command(*parts: Any) -> bytes:
    """One command as RESP bytes (an array of bulk strings; ints and floats as text)."""
    encoded = [p if isinstance(p, bytes) else str(p).encode() for p in parts]
    return b"*%d\r\n" % len(encoded) + b"".join(bulk(e) for e in encoded)


_EVALSHA_HEAD = b"$7\r\nEVALSHA\r\n$40\r\n" + SCRIPT_SHA.encode() + b"\r\n"
_EVAL_HEAD = b"$4\r\nEVAL\r\n" + bulk(SCRIPT.encode())


def to_eval(command: bytes) -> bytes:
    """An ``EVALSHA`` of the script (as :func:`pack_command` encodes it) as the same
    ``EVAL`` with the script's text, for a Redis that answered ``NOSCRIPT``."""
    start = command.index(b"\r\n") + 2
    if not command.startswith(_EVALSHA_HEAD, start):
        raise ValueError("not an EVALSHA of the rate-limit script")
    return command[:start] + _EVAL_HEAD + command[start + len(_EVALSHA_HEAD) :]


class Incomplete(Exception):
    """The reply is not all there yet: read more."""


class ReplyError(str):
    """An error reply's message (``-NOSCRIPT ...``), returned as a value by the parser."""


def parse_reply(buf: bytes, pos: int) -> tuple[Any, int]:
    """The RESP reply starting at ``pos`` in ``buf``, and where it ends, as redis-py
    returns it (integers as int, strings as bytes, arrays as lists, nil as None, errors as
    :class:`ReplyError`). Raises :class:`Incomplete` when ``buf`` ends before it does,
    ``ValueError`` on anything else (not RESP, or a type the script never returns)."""
    end = buf.find(b"\r\n", pos)
    if end < 0:
        raise Incomplete
    kind = buf[pos]
    if kind == 58:  # ':'
        return int(buf[pos + 1 : end]), end + 2
    if kind == 36:  # '$'
        n = int(buf[pos + 1 : end])
        if n < 0:
            return None, end + 2
        stop = end + 2 + n
        if len(buf) < stop + 2:
            raise Incomplete
        return buf[end + 2 : stop], stop + 2
    if kind == 42:  # '*'
        n = int(buf[pos + 1 : end])
        if n < 0:
            return None, end + 2
        items: list[Any] = []
        pos = end + 2
        for _ in range(n):
            item, pos = parse_reply(buf, pos)
            items.append(item)
        return items, pos
    if kind == 43:  # '+'
        return buf[pos + 1 : end], end + 2
    if kind == 45:  # '-'
        return ReplyError(buf[pos + 1 : end].decode(errors="replace")), end + 2
    if kind == 95:  # '_' (RESP3 null)
        return None, end + 2
    raise ValueError(f"unexpected RESP type byte {bytes([kind])!r}")
