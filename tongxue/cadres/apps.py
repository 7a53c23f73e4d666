from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "tongxue.cadres"
    label = "cadres"
    verbose_name = _("Cadres")

    def ready(self) -> None:
        from tongxue.core.signals import academic_records_imported
        from tongxue.rules import services as rules_services
        from tongxue.unions import views as union_views

        from . import audit  # noqa: F401  (registers governance models with auditlog)
        from . import profile  # noqa: F401  (adds the training record to /me/)
        from . import training
        from .exits import on_academic_records_imported
        from .selection import approval_chain_facts

        academic_records_imported.connect(on_academic_records_imported, dispatch_uid="cadres.exit_cases")
        rules_services.TRAINING_STATUS_PROVIDER = training.training_status  # indicator C10
        if approval_chain_facts not in rules_services.APPROVAL_CHAIN_SOURCES:
            rules_services.APPROVAL_CHAIN_SOURCES.append(approval_chain_facts)  # S9 from selection records
        for action in (_appoint_action, _term_change_action):
            if action not in union_views.UNION_ACTIONS:
                union_views.UNION_ACTIONS.append(action)


def _term_change_action(request, union, can_manage):
    """The "Change term" (换届) button, for the union's League teacher."""
    from django.urls import reverse

    from tongxue.unions.services import is_league_teacher_of

    if union.current_term() is None or not is_league_teacher_of(request.user, union):
        return []
    return [(_("Change term"), reverse("cadres:term_change", args=[union.pk]), "change-term")]


def _appoint_action(request, union, can_manage):
    """The "Appoint a cadre" and "Open a call" buttons on the union page, for those who manage the union."""
    if not can_manage or union.current_term() is None:
        return []
    from django.urls import reverse

    return [(_("Appoint a cadre"), reverse("cadres:appoint", args=[union.pk]), "appoint"),
            (_("Open a call"), reverse("cadres:selection_new", args=[union.pk]), "open-call")]
