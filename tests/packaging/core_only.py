"""Run Python as on the core install (`pip install llmaestro`): only the standard library,
click and llmaestro import; every other installed distribution raises ModuleNotFoundError
exactly as an absent one does. The packaging smoke test (smoke.sh) checks the same in a real
fresh virtualenv.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

#: what `pip install llmaestro` installs (besides the standard library)
CORE = frozenset({"llmaestro", "click"})

PRELUDE = """
import sys

class _NotInstalled:
    # a top-level module found in a site-packages folder is absent, unless allowed
    allowed = {allowed!r}

    def find_spec(self, name, path=None, target=None):
        if "." in name or name in self.allowed or name.startswith("__editable__"):
            return None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = None if finder is self or find is None else find(name, path, target)
            if spec is not None:
                break
        else:
            return None
        where = [spec.origin or "", *(spec.submodule_search_locations or ())]
        if any("site-packages" in str(p) for p in where):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return spec

def _site(module):
    return "site-packages" in str(getattr(module, "__file__", None) or "")

for _name in [m for m, mod in list(sys.modules.items())
              if _site(mod) and m.partition(".")[0] not in _NotInstalled.allowed]:
    del sys.modules[_name]
sys.meta_path.insert(0, _NotInstalled())
"""


def prelude(extra: Sequence[str] = ()) -> str:
    """Code that makes everything but the core (and ``extra`` top-level modules) unimportable."""
    return PRELUDE.format(allowed=sorted(CORE | set(extra)))


def run_python(
    code: str, *, extra: Sequence[str] = (), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -c`` of ``code`` after the prelude."""
    return subprocess.run(
        [sys.executable, "-c", prelude(extra) + code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )


def run_cli(
    *args: str, extra: Sequence[str] = (), env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``llmaestro ARGS`` on the core install."""
    code = f"sys.argv = ['llmaestro', *{list(args)!r}]\nfrom llmaestro.cli import main\nmain()\n"
    return run_python(code, extra=extra, env=env)
