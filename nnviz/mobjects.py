"""Short public name for nnviz.draw.mobjects: ``from nnviz.mobjects import WarpGrid``."""

from nnviz.draw.mobjects import *  # noqa: F403
from nnviz.draw.mobjects import __all__  # noqa: F401
