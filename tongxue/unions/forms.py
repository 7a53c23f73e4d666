"""Forms of the union pages. Uniqueness and limits are checked by `services`, which the views
call; a refusal from there is shown on the form."""
from django import forms

from .models import Department, Union


class UnionForm(forms.ModelForm):
    class Meta:
        model = Union
        fields = ["name", "declared_duties"]
        widgets = {"declared_duties": forms.Textarea(attrs={"rows": 4})}


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
