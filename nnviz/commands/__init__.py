"""Subcommands of the nnviz CLI, one module each (loaded by nnviz.cli)."""
