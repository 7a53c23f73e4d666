"""URLs of the congress under /congress/ (signed-in pages)."""
from . import views, views_council

urlpatterns = views.urls + views_council.urls
