"""URLs of the congress under /congress/ (signed-in pages)."""
from . import views, views_prep

urlpatterns = views.urls + views_prep.urls
