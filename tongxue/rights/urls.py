"""URLs of the rights desk under /rights/ (signed-in pages) — the public board is in urls_public."""
from . import views, views_handling, views_reports, views_student

urlpatterns = views.urls + views_student.urls + views_handling.urls + views_reports.urls
