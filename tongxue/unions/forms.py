"""Forms of the union pages. Uniqueness and limits are checked by `services`, which the views
call; a refusal from there is shown on the form."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Union


class UnionForm(forms.ModelForm):
    class Meta:
        model = Union
        fields = ["name", "declared_duties"]
        widgets = {"declared_duties": forms.Textarea(attrs={"rows": 4})}


class DepartmentForm(forms.ModelForm):
    override_reason = forms.CharField(
        label=_("Override with reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only if a reform rule refuses this department: why it is added anyway. "
                    "The reason is recorded and shown in the self-assessment."),
    )

    class Meta:
        model = Department
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, may_override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_override:
            del self.fields["override_reason"]

