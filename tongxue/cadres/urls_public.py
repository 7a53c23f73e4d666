"""Public pages of the cadres app (no login): the public notice (公示) of a selection."""
from .views_selection import public_notice_urls

urlpatterns = public_notice_urls
