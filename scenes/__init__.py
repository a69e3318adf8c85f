"""nnviz's built-in scenes, one module per explainer topic.

In the source tree they live in the top-level scenes/ folder; the wheel ships them as
the package ``nnviz.scenes`` (pyproject's package-dir), so an installed nnviz lists and
renders them without the source tree.
"""
