"""The Redis backend's own command encoding matches redis-py's, for any arguments."""

from __future__ import annotations

from typing import Any

import redis.connection
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro.limits._redis_wire import pack_command

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
