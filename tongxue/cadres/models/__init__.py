from .training import *  # noqa: F403
from .assessment import *  # noqa: F403
from .contact import *  # noqa: F403
