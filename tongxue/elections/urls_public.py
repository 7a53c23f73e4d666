"""Public election results under /public/elections/ (no login)."""
from . import views

urlpatterns = views.public_urls
