from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tongxue.api"
    label = "api"
    verbose_name = "API"
