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
        from tongxue.rules import services as rules_services

        from . import audit, sections  # noqa: F401
        from .facts import last_session_facts

        if last_session_facts not in rules_services.CONGRESS_SOURCES:
            rules_services.CONGRESS_SOURCES.append(last_session_facts)  # S11 / C9
        sections.register(sections.SESSION_SECTIONS, "congress/_between_sessions_section.html", order=80)
