"""Hostile listings: ids that cannot be catalog ids are rejected with a report line (a key is
never quoted), a flood of new offerings is refused, provider text is inert in the report, and
nothing the run prints or writes carries a key."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from llmaestro._http.redact import looks_like_secret
from llmaestro.catalog.ids import LOOKS_LIKE_SECRET, MAX_NAME_BYTES, id_problem
from llmaestro.catalog.paths import decode_id, encode_id
from llmaestro.cli.detect import detect
from llmaestro.refresh.report import code, text
from llmaestro.refresh.run import DetectOptions, DetectOutcome, run_detect
from tests.refresh._server import FAKE_KEY, LocalServer, Reply, payload
from tests.refresh.conftest import FAST_RETRY, clock, no_sleep, snapshot

#: a key of another shape the listing might echo (never configured here)
OTHER_KEY = "sk-proj-Q7wErTy8UiOp9AsDfGh0JkLzXcVb"
HOSTILE_IDS = {
    FAKE_KEY: LOOKS_LIKE_SECRET,
    OTHER_KEY: LOOKS_LIKE_SECRET,
    "con": "Windows reserves",
    "lpt1.bin": "Windows reserves",
    "a//b": "empty segment",
    "/leading": "empty segment",
    "trailing/": "empty segment",
    "../up": "`..` segment",
    "x" * 300: "305 bytes",
    "gpt\u200b-5": "U+200B",
    "gpt-5\u202e": "U+202E",
    "gpt-4\u043e": "another script",
    "\uff47\uff50\uff54": "compatibility forms",
    "gpt\x1b]8;;http://evil\x07x": "control character",
    "gpt 5": "a space",
    "gpt\u20285": "U+2028",
    "": "empty",
}


@pytest.mark.parametrize(("model_id", "why"), HOSTILE_IDS.items())
def test_hostile_ids_are_refused_without_quoting_them(model_id: str, why: str) -> None:
    problem = id_problem(model_id, [FAKE_KEY])
    assert problem is not None and why in problem
    if why == LOOKS_LIKE_SECRET:
        assert model_id[:8] not in problem


@pytest.mark.parametrize(
    "model_id",
    [
        "gpt-4o",
        "meta-llama/Llama-3.3-70B-Instruct",
        "models/gemini-1.5-pro:free",
        "accounts/fireworks/models/llama-v3p1-8b-instruct",
        "claude-3-5-sonnet@20241022",
        "deepseek-r1:70b",
        "通义千问-max",
        "x" * (MAX_NAME_BYTES - len(".yaml")),
        "task-llama-3-70b-instruct",
        "console-model",
    ],
)
def test_ordinary_ids_pass(model_id: str) -> None:
    assert id_problem(model_id) is None


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=300))
def test_an_accepted_id_is_a_safe_file_name(model_id: str) -> None:
    if id_problem(model_id) is not None:
        return
    path = encode_id(model_id)
    assert decode_id(path) == model_id
    parts = path.split("/")
    assert all(0 < len((p + ".yaml").encode()) <= MAX_NAME_BYTES for p in parts)
    assert all(p not in (".", "..") for p in parts)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in model_id)
    assert unicodedata.normalize("NFKC", model_id) == model_id
    assert not looks_like_secret(model_id)


_BASE = st.from_regex(r"[a-z][a-z0-9.-]{0,20}(/[a-z0-9][a-z0-9.-]{0,20})?", fullmatch=True)
_HOSTILE = st.sampled_from(
    ["\u200b", "\u200d", "\u200e", "\ufeff", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u043e"]
)


@settings(max_examples=200, deadline=None)
@given(_BASE, _HOSTILE, st.integers(min_value=0))
def test_one_hostile_character_anywhere_is_refused(base: str, char: str, where: int) -> None:
    at = where % (len(base) + 1)
    assert id_problem(base[:at] + char + base[at:]) is not None


_KEY_BODY = st.text(
    st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
    min_size=32,
    max_size=48,
).filter(lambda s: any(c.isdigit() for c in s))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["sk-", "sk-ant-api03-", "sk-proj-", "ghp_", "AIza", "gsk_"]), _KEY_BODY)
def test_key_shaped_ids_are_refused(prefix: str, body: str) -> None:
    assert id_problem(prefix + body) == LOOKS_LIKE_SECRET


# --- a whole run against a hostile listing ---------------------------------------------------


def _groq(server: LocalServer, entries: list[dict[str, Any]]) -> str:
    data = payload("groq.json")
    body = {**data, "data": [*data["data"], *entries]}
    server.route = lambda r: Reply(json=body)
    return server.url + "/openai/v1"


def _entry(model_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "active": True, "context_window": 8192, **extra}


#: the options every run here shares (a keyword given to _run overrides one)
_OPTIONS: dict[str, Any] = {
    "provider": "groq",
    "api_key": FAKE_KEY,
    "clock": clock,
    "timeout": 5.0,
    "detector_options": {"retry": FAST_RETRY, "sleep": no_sleep},
}


def _run(base: str, catalog: Path, **kw: Any) -> tuple[DetectOutcome, list[str]]:
    lines: list[str] = []
    options = DetectOptions(catalog=catalog, base_url=base, **(_OPTIONS | kw))
    return run_detect(options, progress=lines.append), lines


def test_a_hostile_listing_is_rejected_entry_by_entry(server: LocalServer, catalog: Path) -> None:
    hostile = [_entry(i) for i in HOSTILE_IDS if i]
    inactive = _entry(f"{FAKE_KEY}\x1b[2J", active=False)  # noted before it is screened
    base = _groq(server, [*hostile, inactive, _entry("fine-model-1")])
    outcome, lines = _run(base, catalog, dry_run=True)
    assert outcome.exit_code == 0, outcome.message
    plan = outcome.plan
    assert plan is not None
    assert {n.offering for n in plan.new} == {"fine-model-1", "llama-3.1-8b-instant"}
    report = outcome.report or ""
    for key in (FAKE_KEY, OTHER_KEY):
        assert key not in report and key not in "\n".join(lines) and key not in outcome.message
    notes = [n for n in plan.observation.notes if n.startswith("rejected listing id")]
    assert len(notes) == len(hostile)
    assert sum("(value not shown)" in n for n in notes) == 2
    assert report.count("rejected listing id") == len(hostile)
    assert "\x1b" not in report and "\u200b" not in report and "\u2028" not in report
    assert not any(c in report for c in "\u202e\x07")


def test_provider_text_is_inert_in_the_report() -> None:
    decoy = "<img src=x onerror=alert(1)> @octocat\n## forged | `x` **bold** [a](http://e) &amp;"
    shown = text(decoy)
    assert shown == (
        "&lt;img src=x onerror=alert(1)&gt; @&#8203;octocat\\\\n\\#\\# forged \\| \\`x\\` "
        "\\*\\*bold\\*\\* \\[a\\](http://e) &amp;amp;"
    )
    assert code("a`b|c") == "`` a`b\\|c ``"
    assert code("plain") == "`plain`"
    assert code("\x1b]8;;x\x07") == "`\\x1b]8;;x\\x07`"
    masked = text(f"echo {FAKE_KEY}")  # redacted first: escaping cannot split the key
    assert FAKE_KEY[3:] not in masked and masked.endswith("\\*\\*\\*")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_report_text_is_one_inert_line(value: str) -> None:
    for shown in (text(value), code(value)):
        assert "\n" not in shown and "\r" not in shown
        assert not any(unicodedata.category(c) == "Cc" for c in shown)
    plain = text(value)
    assert "<" not in plain and ">" not in plain
    assert "@" not in plain.replace("@&#8203;", "")


# --- the guard on new offerings --------------------------------------------------------------


def test_three_thousand_new_models_are_refused(server: LocalServer, catalog: Path) -> None:
    base = _groq(server, [_entry(f"flood-{i:04d}") for i in range(3000)])
    before = snapshot(catalog)
    outcome, _ = _run(base, catalog)
    assert outcome.exit_code == 1
    assert "refused: 3001 new offering(s)" in outcome.message
    assert "⛔ new offerings" in (outcome.report or "")
    assert snapshot(catalog) == before


def test_the_new_share_guard_and_its_limits(server: LocalServer, catalog: Path) -> None:
    base = _groq(server, [_entry(f"more-{i:02d}") for i in range(11)])
    before = snapshot(catalog)
    refused, _ = _run(base, catalog)
    assert refused.exit_code == 1 and "600.0% of 2 active" in refused.message
    assert snapshot(catalog) == before
    allowed, _ = _run(base, catalog, dry_run=True, max_new_share=10.0)
    assert allowed.exit_code == 0, allowed.message
    assert "✅ new offerings: 12 new offering(s)" in (allowed.report or "")
    few = _groq(server, [_entry(f"few-{i}") for i in range(5)])
    small, _ = _run(few, catalog, dry_run=True)  # under ten new: no share guard
    assert small.exit_code == 0, small.message
    counted, _ = _run(few, catalog, dry_run=True, max_new_count=3)
    assert counted.exit_code == 1 and "limits 3 and 50%" in counted.message


def test_verbose_lines_and_the_report_file_carry_no_key(
    server: LocalServer, catalog: Path, tmp_path: Path
) -> None:
    base = _groq(server, [_entry(FAKE_KEY), _entry(OTHER_KEY), _entry("fine-model-2")])
    report = tmp_path / "r.md"
    result = CliRunner().invoke(
        detect,
        ["groq", "--catalog", str(catalog), "--base-url", base, "-v", "--report", str(report)],
        env={"GROQ_API_KEY": FAKE_KEY},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    everything = result.stdout + result.stderr + report.read_text()
    assert "rejected listing id (value not shown)" in report.read_text()
    for key in (FAKE_KEY, OTHER_KEY):
        assert key not in everything
    assert (catalog / "providers/groq/models/fine-model-2.yaml").is_file()
    assert not any(looks_like_secret(p.name) for p in catalog.rglob("*"))


_ID_PART = st.text(st.characters(codec="utf-8"), min_size=0, max_size=40)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.one_of(
            _ID_PART,
            st.builds(lambda a, b: f"{a}/{b}", _ID_PART, _ID_PART),
            st.just(FAKE_KEY),
            st.builds(lambda body: "sk-" + body, _KEY_BODY),
        ),
        min_size=1,
        max_size=8,
        unique=True,
    )
)
def test_random_listing_ids_never_reach_a_file_unscreened(ids: list[str]) -> None:
    from llmaestro.refresh.observation import Observation
    from llmaestro.refresh.plan import plan_drift
    from llmaestro.refresh.registry import DETECTORS
    from tests.refresh.conftest import FIXTURE_CATALOG, NOW

    detector = DETECTORS.create("groq", catalog=FIXTURE_CATALOG, api_key=FAKE_KEY)
    offerings = [detector.observe(i, {"kind": "chat", "limits.context": 8192}) for i in ids]
    kept = [o for o in (detector.screen(o) for o in offerings) if o is not None]
    assert len(kept) + len(detector.notes) == len(ids)
    assert not any(FAKE_KEY in note for note in detector.notes)
    if not kept:
        return
    observation = Observation("groq", "groq", "https://x.test/v1/models", NOW, tuple(kept))
    plan = plan_drift(FIXTURE_CATALOG, observation, max_gone_share=1.0)
    for rel, edit in plan.edits.items():
        assert FAKE_KEY not in rel and not looks_like_secret(rel)
        if edit.before is None:
            name = rel.removeprefix("providers/groq/models/").removesuffix(".yaml")
            assert decode_id(name) == edit.offering
            assert all(len(p.encode()) <= MAX_NAME_BYTES for p in rel.split("/"))
