from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("<version>/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
