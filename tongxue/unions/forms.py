from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department, Union


class UnionForm(forms.ModelForm):
    class Meta:
        model = Union
        fields = ["name", "declared_duties"]
        widgets = {"declared_duties": forms.Textarea(attrs={"rows": 4})}


class DepartmentForm(forms.ModelForm):
    """A department of one term; the view sets `instance.term` before validation."""

    class Meta:
        model = Department
        fields = ["name", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Department.objects.filter(term=self.instance.term, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This term already has a department with this name."))
        return name
