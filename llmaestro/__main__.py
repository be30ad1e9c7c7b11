"""`python -m llmaestro` runs the CLI."""

from llmaestro.cli.main import main

main()
