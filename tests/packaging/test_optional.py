"""Optional dependencies: a missing extra is one clear error naming the `pip install` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmaestro import _optional
from llmaestro.errors import LLMaestroError, MissingDependencyError
from tests.packaging.core_only import run_python


def test_the_error_names_the_distribution_and_the_extra() -> None:
    err = _optional.missing("count_tokens()", ["tiktoken"])
    assert isinstance(err, LLMaestroError)
    assert isinstance(err, ImportError)
    assert str(err) == "count_tokens() needs tiktoken: pip install 'llmaestro[tokens]'"
    assert err.name == "tiktoken"
    assert err.extras == ("tokens",)


def test_several_modules_of_several_extras_give_one_command() -> None:
    err = _optional.missing("`llmaestro detect`", ["pydantic", "yaml", "httpx"])
    assert str(err) == (
        "`llmaestro detect` needs pydantic, PyYAML, httpx: "
        "pip install 'llmaestro[authoring,clients]'"
    )


def test_a_submodule_maps_to_its_package() -> None:
    err = _optional.missing("redis", ["redis.asyncio"])
    assert "pip install 'llmaestro[redis]'" in str(err)
    err = _optional.missing("writing YAML", ["ruamel.yaml.comments"])
    assert "ruamel.yaml: pip install 'llmaestro[authoring]'" in str(err)


def test_installed_modules_are_simply_returned() -> None:
    import json

    assert _optional.import_module("json", "anything") is json
    _optional.require("anything", "pydantic", "yaml")  # installed in the dev environment


def test_every_extra_module_is_known() -> None:
    for extra, modules in _optional.EXTRAS.items():
        for module in modules:
            assert _optional.MODULES[module][1] in (extra, "authoring"), (extra, module)


def test_require_on_the_core_install_raises_the_clear_error() -> None:
    out = run_python(
        "from llmaestro._optional import require, import_module\n"
        "from llmaestro.errors import MissingDependencyError\n"
        "try:\n"
        "    require('count_tokens()', 'tiktoken')\n"
        "except MissingDependencyError as exc:\n"
        "    print(exc)\n"
        "try:\n"
        "    import_module('httpx', 'the provider clients')\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "count_tokens() needs tiktoken: pip install 'llmaestro[tokens]'",
        "MissingDependencyError the provider clients needs httpx: pip install 'llmaestro[clients]'",
    ]


def test_the_data_model_module_imports_without_pydantic() -> None:
    out = run_python(
        "import llmaestro.llm.models as m\n"
        "print(m.KINDS[0], m.MODALITIES[1], m.STATUSES[-1], m.MediaType.IMAGE.value)\n"
        "for name in ('Offering', 'LLMProfile'):\n"
        "    try:\n"
        "        getattr(m, name)\n"
        "    except ImportError as exc:\n"
        "        print(type(exc).__name__, exc)\n"
        "try:\n"
        "    m.no_such_name\n"
        "except AttributeError as exc:\n"
        "    print('AttributeError', exc)\n"
        "print(sorted({'pydantic', 'pydantic_core'} & set(sys.modules)))\n"
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "chat image retired image"
    assert lines[1] == (
        "MissingDependencyError llmaestro.catalog.model.Offering (the catalog's pydantic data"
        " model) needs pydantic: pip install 'llmaestro[authoring]'"
    )
    assert lines[2].startswith("MissingDependencyError llmaestro.catalog.model.LLMProfile ")
    assert lines[3] == (
        "AttributeError module 'llmaestro.llm.models' has no attribute 'no_such_name'"
    )
    assert lines[4] == "[]"


def test_from_import_of_a_model_raises_the_clear_error() -> None:
    out = run_python("from llmaestro.llm.models import CanonicalModel\n")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == (
        "llmaestro.errors.MissingDependencyError: llmaestro.catalog.model.CanonicalModel "
        "(the catalog's pydantic data model) needs pydantic: pip install 'llmaestro[authoring]'"
    )


@pytest.mark.parametrize(
    "module",
    [
        "llmaestro",
        "llmaestro.llm.llm_registry",
        "llmaestro.llm.provider_registry",
        "llmaestro.llm.models",
        "llmaestro.llm.capability_detector",
        "llmaestro.llm.rate_limiter",
        "llmaestro.llm.token_utils",
        "llmaestro.llm.interfaces",
        "llmaestro.refresh.detectors",
        "llmaestro.cli",
        "llmaestro.cost",
        "llmaestro.exports",
    ],
)
def test_the_seed_and_read_paths_import_on_the_core_install(module: str) -> None:
    out = run_python(f"import {module}\n")
    assert out.returncode == 0, out.stderr


def test_a_detector_needs_pydantic_by_name() -> None:
    out = run_python(
        "from llmaestro.llm.capability_detector import DETECTORS\n"
        "try:\n"
        "    DETECTORS.get('openai')\n"
        "except ImportError as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("MissingDependencyError ")
    assert "pip install 'llmaestro[authoring,clients]'" in out.stdout


def test_missing_dependency_error_is_exported_from_errors() -> None:
    assert issubclass(MissingDependencyError, ImportError)


def test_no_module_of_the_package_imports_jsonschema() -> None:
    """jsonschema is a test tool (the dev extra), not a run-time dependency."""
    import ast

    from tests.conftest import ROOT

    for path in sorted((ROOT / "llmaestro").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not [n for n in names if n.split(".")[0] == "jsonschema"], path


def test_compiling_the_catalog_needs_only_the_build_requirements(tmp_path: Path) -> None:
    """What hatch_build.py imports to compile catalog/ into the wheel: pyproject's
    [build-system].requires (hatchling, pydantic, PyYAML) must be enough."""
    from tests.conftest import FIXTURES

    pydantic = ["pydantic", "pydantic_core", "annotated_types", "typing_extensions"]
    out = run_python(
        "from pathlib import Path\n"
        "from llmaestro.catalog.bundle import compile_catalog\n"
        f"print(compile_catalog(Path({str(FIXTURES / 'catalog' / 'valid' / 'catalog')!r}),"
        f" Path({str(tmp_path / 'bundle.json')!r})))\n",
        extra=[*pydantic, "typing_inspection", "yaml"],
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "bundle.json").read_bytes().startswith(b'{"format":"llmaestro-bundle"')


def test_compiling_without_them_names_the_authoring_extra(tmp_path: Path) -> None:
    out = run_python(f"import llmaestro\nllmaestro.load(catalog={str(tmp_path)!r})\n")
    assert out.returncode == 1
    assert (
        out.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "compiling a catalog folder (load(catalog=DIR), llmaestro compile) needs pydantic, "
            "PyYAML: pip install 'llmaestro[authoring]'"
        )
    )
