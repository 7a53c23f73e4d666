"""The public list of a session's proposals under /public/proposals/ (no login)."""
from . import views

urlpatterns = views.public_urls
