"""Adds the cadre's own training record to /me/ (see tongxue.core.profile)."""
from tongxue.core.profile import register_section

from .views_training import training_section

register_section(training_section)
