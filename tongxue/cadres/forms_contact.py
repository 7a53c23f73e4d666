from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import StudentClass
from tongxue.unions.models import Membership

from .models import ContactChannel


class ContactLogForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("As"), queryset=Membership.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    channel = forms.ChoiceField(label=_("Channel"), choices=ContactChannel.choices)
    student_class = forms.ModelChoiceField(label=_("Class"), queryset=StudentClass.objects.none(), required=False)
    dorm = forms.CharField(label=_("Dorm"), max_length=100, required=False)
    raised = forms.CharField(label=_("What was raised"), widget=forms.Textarea(attrs={"rows": 3}))
    case_ref = forms.CharField(label=_("Rights case (if one was opened)"), max_length=200, required=False)

    def __init__(self, *args, memberships, classes, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: f"{m.term.union} · {m.get_position_display()}"
        if len(memberships) == 1:
            self.fields["membership"].initial = memberships[0]
            self.fields["membership"].widget = forms.HiddenInput()
        self.fields["student_class"].queryset = classes

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return date

    def clean(self):
        data = super().clean()
        if not data.get("student_class") and not data.get("dorm"):
            raise forms.ValidationError(_("Choose a class or enter a dorm."))
        return data


class AssignmentForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Cadre"), queryset=Membership.objects.none())
    student_class = forms.ModelChoiceField(label=_("Class"), queryset=StudentClass.objects.none(), required=False)
    dorm = forms.CharField(label=_("Dorm"), max_length=100, required=False)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, memberships, classes, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
        self.fields["membership"].label_from_instance = lambda m: f"{m.student.name} · {m.get_position_display()}"
        self.fields["student_class"].queryset = classes

    def clean(self):
        data = super().clean()
        if not data.get("student_class") and not data.get("dorm"):
            raise forms.ValidationError(_("Choose a class or enter a dorm."))
        return data
