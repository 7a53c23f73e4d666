from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExitCase


class DecisionForm(forms.Form):
    """The League teacher's decision on an exit case."""

    DISMISS, KEEP = "dismiss", "keep"
    action = forms.ChoiceField(label=_("Decision"), choices=[
        (DISMISS, _("Dismiss the cadre")), (KEEP, _("Keep the cadre (human review)")),
    ])
    text = forms.CharField(label=_("Written reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResignForm(forms.Form):
    text = forms.CharField(label=_("Why you are leaving (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class DismissForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=[
        (value, label) for value, label in ExitCase.Reason.choices if value in ExitCase.DISMISSAL_REASONS
    ])
    text = forms.CharField(label=_("Written reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
