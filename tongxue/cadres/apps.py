from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "tongxue.cadres"
    label = "cadres"
    verbose_name = _("Cadres")

    def ready(self) -> None:
        from tongxue.core.signals import academic_records_imported

        from . import audit  # noqa: F401  (registers governance models with auditlog)
        from . import profile  # noqa: F401  (adds the training record to /me/)
        from .exits import on_academic_records_imported

        academic_records_imported.connect(on_academic_records_imported, dispatch_uid="cadres.exit_cases")
