from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    """Delegates' proposals (提案, issue 5): drafting, co-signing, the proposal committee's
    decision, the office's answer and the proposer's rating. Depends on congress and below."""

    name = "tongxue.proposals"
    label = "proposals"
    verbose_name = _("Proposals")
