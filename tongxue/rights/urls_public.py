"""The public board of answered cases, without login (issue 4, item 5): /public/rights/."""
from . import views_board

urlpatterns = views_board.urls
