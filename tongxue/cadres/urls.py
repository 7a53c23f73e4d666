"""URLs of the cadres app, combined from one list per area (training, assessment, contact, …)."""
from .views_assessment import assessment_urls
from .views_contact import contact_urls
from .views_training import training_urls

urlpatterns = [*training_urls, *assessment_urls, *contact_urls]
