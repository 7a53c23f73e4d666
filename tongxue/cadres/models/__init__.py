"""Models of the cadres app, one module per part (exit, training, assessment, …): each
developer adds a module and one import line here."""
from .exit import *  # noqa: F401,F403
