from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CongressConfig(AppConfig):
    """The student congress (学代会, issue 5): sessions, seats, delegates, attendance, agenda,
    reports, resolutions, charter and the standing delegates' council. Depends on core, unions and
    notifications. Proposals and elections are apps above it; they add their sections to the
    session's pages through `congress.sections` (registered in their AppConfig.ready)."""

    name = "tongxue.congress"
    label = "congress"
    verbose_name = _("Student congress")

    def ready(self):
        from . import audit  # noqa: F401
        from . import sections

        sections.register(sections.SESSION_SECTIONS, "congress/sitting/_session_section.html", order=10)
        sections.register(sections.DELEGATE_SECTIONS, "congress/sitting/_delegate_section.html", order=20)
