from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    """Elections at a congress session (issue 5, rules.md §5): candidates, paper ballots with double
    entry, online secret ballots with receipts, counting by `domain.tally`. Depends on congress."""

    name = "tongxue.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self):
        from tongxue.congress import demo as congress_demo
        from tongxue.congress import sections
        from tongxue.rules import services as rules_services

        from . import audit  # noqa: F401
        from .demo import build_elections_demo
        from .facts import presidium_facts

        if presidium_facts not in rules_services.CONGRESS_SOURCES:
            rules_services.CONGRESS_SOURCES.append(presidium_facts)  # S10 / C8
        if build_elections_demo not in congress_demo.DEMO_BUILDERS:
            congress_demo.DEMO_BUILDERS.append(build_elections_demo)

        sections.register(sections.SESSION_SECTIONS, "elections/sections/session.html", order=40)
        sections.register(sections.DELEGATE_SECTIONS, "elections/sections/delegate.html", order=40)
        sections.register(sections.PROJECTOR_SECTIONS, "elections/sections/projector.html", order=40)
