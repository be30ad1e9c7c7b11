"""The server-sent events decoder (llmaestro._http.sse)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from llmaestro._http.sse import SSEDecoder, SSEEvent


def feed_all(text: str) -> list[SSEEvent]:
    decoder = SSEDecoder()
    events = [e for line in text.split("\n") if (e := decoder.feed(line)) is not None]
    tail = decoder.flush()
    return events + ([tail] if tail else [])


def test_sse_decoder() -> None:
    text = (
        ": comment\n"
        'event: message_start\ndata: {"a": 1}\n\n'
        "data: line one\ndata:line two\n\n"
        "id: 7\nevent: ping\n\n"  # no data: not dispatched
        "retry: 100\nunknown: x\ndata: [DONE]\r\n\r\n"
        "data: tail without blank line"
    )
    assert feed_all(text) == [
        SSEEvent("message_start", '{"a": 1}'),
        SSEEvent("message", "line one\nline two"),
        SSEEvent("message", "[DONE]", "7"),
        SSEEvent("message", "tail without blank line", "7"),
    ]


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=20),
        min_size=1,
        max_size=5,
    )
)
def test_sse_data_lines_round_trip(lines: list[str]) -> None:
    text = "".join(f"data: {line}\n" for line in lines) + "\n"
    (event,) = feed_all(text)
    assert event.data == "\n".join(lines)
