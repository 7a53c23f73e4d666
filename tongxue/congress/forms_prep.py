"""Forms of the preparation pages (timeline, seats, class meetings, delegates, notice)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Apportionment, Milestone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["name", "due_on", "done_on"]
        widgets = {"due_on": DATE, "done_on": DATE}


class ApportionmentForm(forms.Form):
    seats = forms.IntegerField(label=_("Seats of colleges and grades"), min_value=1, required=False,
                               help_text=_("Leave empty for the fewest allowed; you may raise it."))
    minimum = forms.IntegerField(label=_("Minimum seats per college grade"), min_value=0, max_value=50, initial=1)
    association_seats = forms.IntegerField(label=_("Seats per main association"), min_value=0, max_value=20,
                                           initial=1)
    method = forms.ChoiceField(label=_("Method"), choices=Apportionment.Method.choices,
                               initial=Apportionment.Method.LARGEST_REMAINDER,
                               help_text=_("Largest remainder is the default; Sainte-Laguë is the option."))


class NominateForm(forms.Form):
    student = forms.ChoiceField(label=_("Candidate"))

    def __init__(self, *args, students=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [("", "—")] + [(s.pk, s.name) for s in students]


class RecordMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    present = forms.IntegerField(label=_("Students present"), min_value=0)
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for candidate in self.candidates:
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(name)s") % {"name": candidate.student.name}, min_value=0)

    def votes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data.get(f"votes_{c.pk}") for c in self.candidates}


class NoticeForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=30, initial=5)


class ObjectionForm(forms.Form):
    delegate = forms.ChoiceField(label=_("About"), required=False)
    text = forms.CharField(label=_("Your objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    contact = forms.CharField(label=_("Your name or contact (optional)"), max_length=100, required=False,
                              help_text=_("Leave empty to object anonymously; it is shown to the committee only."))

    def __init__(self, *args, delegates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].choices = [("", _("The list as a whole"))] + [
            (d.pk, d.student.name) for d in delegates]
