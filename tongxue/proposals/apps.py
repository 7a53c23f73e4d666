from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    """Delegates' proposals (提案, issue 5): drafting, co-signing, the proposal committee's
    decision, the office's answer and the proposer's rating. Depends on congress and rights (whose
    `Office` answers proposals too); adds its sections to the session and delegate pages through
    `congress.sections`."""

    name = "tongxue.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from tongxue.congress import demo as congress_demo
        from tongxue.congress import sections

        from . import audit  # noqa: F401
        from .demo import build_proposals_demo

        if build_proposals_demo not in congress_demo.DEMO_BUILDERS:
            congress_demo.DEMO_BUILDERS.append(build_proposals_demo)

        sections.register(sections.SESSION_SECTIONS, "proposals/_session_section.html", order=40)
        sections.register(sections.DELEGATE_SECTIONS, "proposals/_delegate_section.html", order=40)
