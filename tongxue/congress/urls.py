"""URLs of the congress under /congress/ (signed-in pages)."""
from . import views, views_sitting

urlpatterns = views.urls + views_sitting.urls
