"""`llmaestro fmt` on files that are not what they claim: a FIFO named like a catalog file
(reading it would block until a writer comes), a file over the 1 MiB limit (never read whole):
each a located line, the others formatted, exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEADER = "# yaml-language-server: $schema=../../../../schemas/offering.schema.json\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_and_a_huge_file_are_left_alone(tmp_path: Path) -> None:
    models = tmp_path / "catalog" / "providers" / "acme" / "models"
    models.mkdir(parents=True)
    os.mkfifo(models / "fifo.yaml")
    (models / "huge.yaml").write_text(HEADER + "name: " + "a" * (1 << 20) + "\n", "utf-8")
    (models / "fine.yaml").write_text(HEADER + "name:   Fine\n", "utf-8")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("llmaestro")), "fmt", str(tmp_path / "catalog")],
        capture_output=True,
        text=True,
        timeout=60,  # a blocking read of the FIFO would hang here
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert f"{models}/fifo.yaml:1:1: LM009 /: not a regular file; left alone" in lines
    assert any(
        line.startswith(f"{models}/huge.yaml:1:1: LM007 /: file is too large") for line in lines
    )
    assert (models / "fine.yaml").read_text("utf-8") == HEADER + "name: Fine\n"
    assert "Traceback" not in done.stderr
