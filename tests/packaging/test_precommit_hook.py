"""The exported pre-commit hook (.pre-commit-hooks.yaml): it installs what `llmaestro validate`
needs on a fresh machine, and its `files` pattern matches catalog files only. (smoke.sh runs
it with `pre-commit try-repo` from another repository.)"""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from llmaestro._optional import EXTRAS
from tests.conftest import ROOT


def _hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "llmaestro-validate"]
    assert isinstance(hook, dict)
    return hook


def _extras() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]
    return extras


def test_the_hook_installs_exactly_the_authoring_extra() -> None:
    assert _hook()["additional_dependencies"] == _extras()["authoring"]


def test_the_hook_runs_validate_on_the_files_it_is_given() -> None:
    hook = _hook()
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["llmaestro", "validate"]
    assert hook.get("pass_filenames", True)


def test_the_extras_install_what_the_code_imports() -> None:
    """pyproject's extras and llmaestro/_optional.py (the error messages) agree."""
    names = {"pydantic": "pydantic", "yaml": "pyyaml", "ruamel.yaml": "ruamel.yaml"}
    names |= {"tiktoken": "tiktoken", "httpx": "httpx", "redis": "redis", "jinja2": "jinja2"}
    extras = _extras()
    for extra, modules in EXTRAS.items():
        declared = {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in extras[extra]}
        assert declared == {names[m] for m in modules}, extra
    everything = set(EXTRAS)
    assert extras["all"] == [f"llmaestro[{','.join(sorted(everything, key=list(EXTRAS).index))}]"]


CATALOG_FILES = [
    "providers/openai/provider.yaml",
    "providers/openai/models/gpt-4o.yaml",
    "providers/fireworks-ai/models/accounts/fireworks/models/x.yaml",
    "models/openai/gpt-4o.yaml",
    "models/meta-llama/^llama-3-8^b.yaml",
    "my-catalog/providers/acme/provider.yaml",
    "deploy/llm/catalog/providers/acme/models/gpt-4o-mini.yaml",
    "overlay/models/acme/private-model.yml",
]
OTHER_FILES = [
    "deploy/models/values.yaml",
    "models/values.yaml",
    "helm/models/Chart.yml",
    "providers/openai.yaml",
    "providers/openai/config.yaml",
    "providers/openai/models.yaml",
    "src/providers/openai/provider.py",
    "docs/models/openai/gpt-4o.md",
    "mymodels/openai/gpt-4o.yaml",
    "myproviders/acme/provider.yaml",
    ".github/workflows/models.yaml",
]


@pytest.mark.parametrize("path", CATALOG_FILES)
def test_the_pattern_matches_catalog_files(path: str) -> None:
    assert re.search(_hook()["files"], path)


@pytest.mark.parametrize("path", OTHER_FILES)
def test_the_pattern_leaves_other_files_alone(path: str) -> None:
    assert not re.search(_hook()["files"], path)


SEGMENT = st.from_regex(r"[a-z0-9][a-z0-9._^~-]{0,12}", fullmatch=True).filter(
    lambda s: s not in ("models", "providers")
)


@given(prefix=st.lists(SEGMENT, max_size=3), names=st.lists(SEGMENT, min_size=1, max_size=4))
def test_a_models_folder_without_a_lab_folder_is_never_a_catalog(
    prefix: list[str], names: list[str]
) -> None:
    """`<anything>/models/<file>.yaml` (no lab folder) is not a catalog file; with a lab
    folder, under any prefix, it is."""
    pattern = re.compile(_hook()["files"])
    lead = "/".join([*prefix, ""])
    assert not pattern.search(f"{lead}models/{names[0]}.yaml")
    assert pattern.search(f"{lead}models/{'/'.join(names)}/m.yaml")
