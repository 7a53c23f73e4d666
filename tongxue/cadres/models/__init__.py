"""Models of the cadres app, one module per part."""
from .training import *  # noqa: F403
from .assessment import *  # noqa: F403
from .contact import *  # noqa: F403
from .exit import *  # noqa: F403
from .selection import *  # noqa: F403
