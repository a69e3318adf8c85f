"""`python -m nnviz` runs the nnviz command line."""

from nnviz.cli import main

main()
