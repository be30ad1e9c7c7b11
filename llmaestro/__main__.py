"""`python -m llmaestro` runs the CLI."""

from llmaestro.cli import main

main()
