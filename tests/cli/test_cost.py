"""The `tokens` and `cost` commands (llmaestro.cli.cost), with a stub registry."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import llmaestro
from llmaestro.catalog.model import Offering
from llmaestro.cli.cost import cost, tokens
from llmaestro.errors import UnknownModelError
from tests.cost import offerings as o


class Registry:
    offerings = (o.GPT_4O, o.GPT_4O_MINI, o.CLAUDE_SONNET_4_5, o.CLAUDE_3_5_HAIKU, o.MISTRAL_LARGE)

    def get(self, model_id: str) -> Offering:
        for offering in self.offerings:
            if model_id in (f"{offering.provider}/{offering.model}", offering.model):
                return offering
        raise UnknownModelError(model_id, ["openai/gpt-4o", "openai/gpt-4o-mini"])


@pytest.fixture(autouse=True)
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llmaestro, "load", Registry, raising=False)


def test_cost_table() -> None:
    result = CliRunner().invoke(
        cost,
        [
            "--model",
            "anthropic/claude-sonnet-4-5-20250929",
            "--input",
            "50000",
            "--output",
            "1000",
            "--cache-read",
            "40000",
            "--cache-write",
            "8000",
        ],
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "anthropic/claude-sonnet-4-5-20250929: standard prices" in out
    assert "cache_write" in out and "$3.75/1M" in out
    assert "total: $0.063000" in out
    assert "requests" not in out  # no per-request fee: no line


def test_cost_long_context_and_unknown() -> None:
    result = CliRunner().invoke(
        cost,
        [
            "-m",
            "claude-3-5-haiku-20241022",
            "--input",
            "6000",
            "--output",
            "100",
            "--cache-write-1h",
            "5000",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "unknown" in result.output
    assert "total: at least $0.001200 (unknown price: cache_write_1h)" in result.output


def test_cost_batch_history_and_json() -> None:
    args = ["-m", "gpt-4o", "--input", "1000000", "--output", "100000"]
    batch = CliRunner().invoke(cost, [*args, "--batch"])
    assert "batch prices" in batch.output
    assert "total: $1.750000" in batch.output
    old = CliRunner().invoke(cost, [*args, "--at", "2024-06-01", "--json"])
    assert old.exit_code == 0, old.output
    data = json.loads(old.output)
    assert Decimal(data["total"]) == Decimal("6.5")  # 1M x 5 + 100k x 15, per 1M
    assert data["prices"]["historic"] is True
    assert data["prices"]["effective"] == "2024-05-13"
    text = CliRunner().invoke(cost, [*args, "--at", "2024-06-01"])
    assert "historic prices from 2024-05-13 to 2024-09-30" in text.output


def test_cost_unknown_model_exits_1_with_suggestions() -> None:
    result = CliRunner().invoke(cost, ["-m", "gpt-4x", "--input", "1", "--output", "1"])
    assert result.exit_code == 1
    assert "unknown model `gpt-4x`" in result.output
    assert "did you mean `openai/gpt-4o`" in result.output


def test_cost_usage_errors_exit_2() -> None:
    inconsistent = ["-m", "gpt-4o", "--input", "10", "--output", "1", "--cache-read", "20"]
    result = CliRunner().invoke(cost, inconsistent)
    assert result.exit_code == 2
    assert "input_tokens counts every prompt token" in result.output
    bad_tier = ["-m", "gpt-4o", "--input", "10", "--output", "1", "--service-tier", "scale"]
    assert CliRunner().invoke(cost, bad_tier).exit_code == 2
    negative = ["-m", "gpt-4o", "--input", "-1", "--output", "1"]
    assert CliRunner().invoke(cost, negative).exit_code == 2


def test_tokens_text(tmp_path: Path) -> None:
    path = tmp_path / "prompt.txt"
    path.write_text("Hello world, count me please.", encoding="utf-8")
    result = CliRunner().invoke(tokens, [str(path), "--model", "gpt-4o-mini"])
    assert result.exit_code == 0, result.output
    assert "openai/gpt-4o-mini" in result.output
    assert "tokens:  7 (exact; tiktoken:o200k_base)" in result.output
    assert "of 128,000 tokens" in result.output


def test_tokens_messages_json_and_estimates(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hello!"},
    ]
    path.write_text(json.dumps(messages), encoding="utf-8")
    result = CliRunner().invoke(tokens, [str(path), "-m", "gpt-4o", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["input"] == "2 message(s)"
    assert data["exact"] is True
    assert "+chat" in data["method"]
    claude = CliRunner().invoke(tokens, [str(path), "-m", "claude-sonnet-4-5-20250929"])
    assert "estimate, typically ±15%" in claude.output


def test_tokens_request_body_stdin_and_encodings() -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "hi"}], "tools": []}
    result = CliRunner().invoke(tokens, ["-", "-m", "o200k_base"], input=json.dumps(body))
    assert result.exit_code == 0, result.output
    assert "1 message(s)" in result.output
    plain = CliRunner().invoke(tokens, ["-", "-m", "cl100k_base"], input="[not json")
    assert "characters of text" in plain.output


def test_tokens_unknown_model() -> None:
    result = CliRunner().invoke(tokens, ["-", "-m", "nope"], input="hi")
    assert result.exit_code == 1
    assert "unknown model `nope`" in result.output
