"""URLs of the congress under /congress/ (signed-in pages)."""
from . import views

urlpatterns = views.urls
