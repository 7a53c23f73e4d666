from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.unions.models import Union

from .models import TrainingSession


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"), max_length=6, min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}",
                                      "placeholder": "000000"}),
    )


class TrainingSessionForm(forms.ModelForm):
    level = forms.ChoiceField(
        label=_("Level"), required=False,
        choices=[(TrainingSession.Level.SCHOOL, TrainingSession.Level.SCHOOL.label),
                 (TrainingSession.Level.CAMPUS, TrainingSession.Level.CAMPUS.label)],
        help_text=_("Only for sessions without an organising union; otherwise the union's level."),
    )

    class Meta:
        model = TrainingSession
        fields = ["title", "union", "level", "starts_at", "place", "hours", "required_for_appointment"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, user, may_omit_union: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.manageable_by(user).order_by("level", "name")
        self.fields["union"].required = not may_omit_union
        if not may_omit_union:
            del self.fields["level"]
        self.fields["hours"].widget.attrs.update({"step": "0.5", "min": "0.5", "inputmode": "decimal"})

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours is not None and not (0 < hours <= 24):
            raise forms.ValidationError(_("Enter between 0.5 and 24 hours."))
        return hours
