"""`llmaestro.catalog.model` is a package of one module per noun; the package exports exactly
the public names its modules define, and ``llmaestro.catalog.yamlread`` keeps its names."""

from __future__ import annotations

import ast
import inspect

from llmaestro.catalog import model, yamlread
from llmaestro.catalog.model import facts, files, scalars, seed


def _defined(module: object) -> set[str]:
    """The public names a module defines itself (classes and assignments, not imports)."""
    tree = ast.parse(inspect.getsource(module))  # type: ignore[arg-type]
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


def test_the_model_package_exports_every_public_name_of_its_modules() -> None:
    defined = set().union(*(_defined(m) for m in (scalars, facts, files, seed)))
    assert set(model.__all__) == defined
    for name in model.__all__:
        assert getattr(model, name) is not None


def test_each_model_name_has_one_home() -> None:
    homes = [_defined(m) for m in (scalars, facts, files, seed)]
    assert sum(len(h) for h in homes) == len(set().union(*homes))


def test_yamlread_keeps_its_names() -> None:
    assert set(yamlread.__all__) == {
        "HAZARD",
        "MAX_FILE_BYTES",
        "Position",
        "YamlDocument",
        "parse_yaml",
        "resolve_plain",
    }
    assert yamlread.YamlDocument.__module__ == "llmaestro.catalog.yamlread.positions"
    assert yamlread.resolve_plain("yes") is yamlread.HAZARD
