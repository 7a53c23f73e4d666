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
        self._ready_prep()
        self._ready_sitting()
        from . import sections

        sections.register(sections.SESSION_SECTIONS, "congress/_between_sessions_section.html", order=80)

    def _ready_prep(self):
        """Preparation (timeline, seats, delegates): audit, the default timeline of a new session,
        and the session page's sections."""
        from django.db.models.signals import post_save

        from . import audit_prep  # noqa: F401
        from . import sections
        from .models import CongressSession
        from .services_prep import on_session_saved

        post_save.connect(on_session_saved, sender=CongressSession, dispatch_uid="congress_default_timeline")
        sections.register(sections.SESSION_SECTIONS, "congress/prep/_section_timeline.html", order=10)
        sections.register(sections.SESSION_SECTIONS, "congress/prep/_section_seats.html", order=20)
        sections.register(sections.SESSION_SECTIONS, "congress/prep/_section_delegates.html", order=30)

    def _ready_sitting(self):
        """The sitting (check-in, agenda, documents, resolutions, charter): the session and delegate sections."""
        from . import sections

        sections.register(sections.SESSION_SECTIONS, "congress/sitting/_session_section.html", order=10)
        sections.register(sections.DELEGATE_SECTIONS, "congress/sitting/_delegate_section.html", order=20)
