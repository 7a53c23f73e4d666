"""URLs of the proposals app."""
urlpatterns = []
