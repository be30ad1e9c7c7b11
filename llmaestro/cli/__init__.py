"""The ``llmaestro`` command line: one module per command group, thin over the library."""

from llmaestro.cli.main import main

__all__ = ["main"]
