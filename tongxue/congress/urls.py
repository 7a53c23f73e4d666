"""URLs of the congress under /congress/ (signed-in pages)."""
from . import views, views_council, views_prep, views_sitting

urlpatterns = views.urls + views_prep.urls + views_sitting.urls + views_council.urls
