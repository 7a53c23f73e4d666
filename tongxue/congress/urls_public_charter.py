"""Public pages of the congress under /public/charter/ (no login): a union's charter in force and
its version history."""
from . import views_sitting

urlpatterns = views_sitting.public_urls
