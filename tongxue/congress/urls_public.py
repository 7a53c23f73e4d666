"""Public pages of the congress under /public/congress/ (no login)."""
from .views_public import urlpatterns  # noqa: F401
