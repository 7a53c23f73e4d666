from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    """Elections at a congress session (issue 5, rules.md §5): candidates, paper ballots with double
    entry, online secret ballots with receipts, counting by `domain.tally`. Depends on congress."""

    name = "tongxue.elections"
    label = "elections"
    verbose_name = _("Elections")
