"""URLs of the elections app under /elections/ (signed-in pages)."""
from . import views

urlpatterns = views.urls
