from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "tongxue.rules"
    label = "rules"
    verbose_name = _("Reform rules")

    def ready(self) -> None:
        from tongxue.unions import services as union_services

        from . import audit  # noqa: F401  (registers the governance models with auditlog)
        from .services import check_department_hook

        if check_department_hook not in union_services.STRUCTURE_CHECKS:
            union_services.STRUCTURE_CHECKS.append(check_department_hook)
