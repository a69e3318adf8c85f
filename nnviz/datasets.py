"""Short public name for nnviz.core.datasets: ``nnviz.datasets.load("spirals", n=300)``."""

from nnviz.core.datasets import *  # noqa: F403
from nnviz.core.datasets import __all__  # noqa: F401
