from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.unions.models import Union

from .models import CongressSession

SETTINGS_FIELDS = [
    "seat_share", "quorum", "resolution_share", "charter_share", "non_cadre_share", "class_meeting_quorum",
    "candidate_surplus", "recall_share", "min_cosigners", "proposal_answer_days",
]


class SessionForm(forms.ModelForm):
    union = forms.ModelChoiceField(Union.objects.none(), label=_("union"))

    class Meta:
        model = CongressSession
        fields = ["union", "kind", "opens_on", "closes_on", "venue", *SETTINGS_FIELDS]
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}),
                   "closes_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, unions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions if unions is not None else Union.objects.none()
        if self.instance.pk:
            del self.fields["union"]
            del self.fields["kind"]
