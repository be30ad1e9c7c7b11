"""The ``llmaestro`` command line: one module per command group, thin over the library."""

from llmaestro.cli.main import NEEDS, main

__all__ = ["NEEDS", "main"]
