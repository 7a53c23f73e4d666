from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tongxue.core"
    label = "core"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from . import audit  # noqa: F401  (registers models with auditlog)
        from . import workcalendar  # noqa: F401  (connects the calendar's cache invalidation)
