from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "tongxue.cadres"
    label = "cadres"
    verbose_name = _("Cadres")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers governance models with auditlog)
        from . import profile  # noqa: F401  (adds the training record to /me/)
