"""URLs of the cadres app, combined from one list per area (training, assessment, contact, exit)."""
from .views_assessment import assessment_urls
from .views_contact import contact_urls
from .views_exit import exit_urls
from .views_training import training_urls

urlpatterns = [*training_urls, *assessment_urls, *contact_urls, *exit_urls]
