"""The Redis backend's own command encoding matches redis-py's, for any arguments, and
its reply parser reads what RESP encodes."""

from __future__ import annotations

from typing import Any

import pytest
import redis.connection
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.limits._lua import SCRIPT, SCRIPT_SHA
from llmaestro.limits._redis_wire import (
    Incomplete,
    ReplyError,
    bulk_int,
    pack_command,
    parse_reply,
    to_eval,
)

Connection: Any = redis.connection.Connection  # (redis-py is untyped)

ARGUMENT = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=False),
)


@given(st.sampled_from(["EVALSHA", "EVAL"]), st.lists(ARGUMENT, max_size=12))
@settings(max_examples=200, deadline=None)
def test_pack_command_is_what_redis_py_sends(command: str, parts: list[object]) -> None:
    # (redis-py splits its first argument on spaces, a command name like "CONFIG GET")
    expected = b"".join(Connection().pack_command(command, *parts))
    assert pack_command(command, *parts) == expected


def resp(value: Any) -> bytes:
    """RESP2 encoding of a reply value (the reference the parser is held to)."""
    if value is None:
        return b"$-1\r\n"
    if isinstance(value, int):
        return b":%d\r\n" % value
    if isinstance(value, bytes):
        return b"$%d\r\n%b\r\n" % (len(value), value)
    return b"*%d\r\n" % len(value) + b"".join(resp(v) for v in value)


REPLY = st.recursive(
    st.none() | st.integers(min_value=-(2**63), max_value=2**63) | st.binary(max_size=30),
    lambda inner: st.lists(inner, max_size=5),
    max_leaves=12,
)


@given(REPLY)
@settings(max_examples=300, deadline=None)
def test_parse_reply_reads_what_resp_encodes_and_waits_for_the_rest(value: Any) -> None:
    data = resp(value)
    assert parse_reply(data, 0) == (value, len(data))
    assert parse_reply(b"junk" + data, 4) == (value, len(data) + 4)
    for cut in range(len(data)):
        with pytest.raises(Incomplete):
            parse_reply(data[:cut], 0)


def test_parse_reply_errors_status_and_nonsense() -> None:
    value, end = parse_reply(b"-NOSCRIPT No matching script.\r\n", 0)
    assert isinstance(value, ReplyError)
    assert value == "NOSCRIPT No matching script."
    assert end == 31
    assert parse_reply(b"+OK\r\n", 0) == (b"OK", 5)
    assert parse_reply(b"_\r\n*-1\r\n", 0) == (None, 3)
    assert parse_reply(b"*-1\r\n", 0) == (None, 5)
    with pytest.raises(ValueError, match="RESP type"):
        parse_reply(b"!x\r\n", 0)
    with pytest.raises(ValueError, match="invalid literal"):
        parse_reply(b":abc\r\n", 0)


@given(st.lists(ARGUMENT, max_size=12))
@settings(max_examples=100, deadline=None)
def test_to_eval_is_the_same_command_with_the_script(parts: list[object]) -> None:
    evalsha = pack_command("EVALSHA", SCRIPT_SHA, *parts)
    assert to_eval(evalsha) == pack_command("EVAL", SCRIPT, *parts)


def test_to_eval_refuses_other_commands() -> None:
    with pytest.raises(ValueError, match="not an EVALSHA"):
        to_eval(pack_command("EVALSHA", "0" * 40, 0))


@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_bulk_int_is_the_decimal_digits(value: int) -> None:
    assert bulk_int(value) == pack_command(value)[len(b"*1\r\n") :]
