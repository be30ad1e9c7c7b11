"""Run Python as on the core install (`pip install llmaestro`): only the standard library,
click and llmaestro import; every other distribution raises ModuleNotFoundError exactly as an
absent one does. The packaging smoke test (smoke.sh) checks the same in a real fresh venv.
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
    allowed = {allowed!r}

    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in sys.stdlib_module_names or top in self.allowed or top.startswith("__editable__"):
            return None
        raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)

for _name in [m for m in sys.modules if m.partition(".")[0] not in sys.stdlib_module_names
              and m.partition(".")[0] not in _NotInstalled.allowed and not m.startswith("_")]:
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
