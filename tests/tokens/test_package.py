"""The package's public names, and the direction of its imports (fitting uses count)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import llmaestro.tokens
from llmaestro.llm import token_utils
from llmaestro.tokens import count, fitting

REPO = Path(__file__).resolve().parents[2]


def test_the_package_exports_the_seed_names() -> None:
    assert llmaestro.tokens.__all__ == token_utils.__all__
    for name in llmaestro.tokens.__all__:
        assert getattr(llmaestro.tokens, name) is getattr(token_utils, name), name


def test_names_come_from_count_and_fitting() -> None:
    assert llmaestro.tokens.count_tokens is count.count_tokens
    assert llmaestro.tokens.fit_messages is fitting.fit_messages
    assert llmaestro.tokens.cheapest_model_for is fitting.cheapest_model_for
    assert not hasattr(count, "fit_messages")


def test_counting_imports_neither_fitting_nor_cost() -> None:
    code = (
        "import sys\n"
        "from llmaestro.tokens.count import count_tokens\n"
        "loaded = [m for m in ('llmaestro.tokens.fitting', 'llmaestro.cost') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
        "from llmaestro.tokens import fit_messages\n"
        "assert 'llmaestro.tokens.fitting' in sys.modules\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=env, timeout=60)
