"""URLs of the proposals app under /proposals/ (signed-in pages)."""
from . import views

urlpatterns = views.urls
