"""Forms of the handling side of the rights desk: the inbox filter, the actions on a case and the
offline case a cadre logs (issue 4, items 1 and 2). The forms only read input; every change goes
through `services`."""
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import Student

from .models import Case, Category, Office

REFERENCE = re.compile(r"^\s*(?:QY\s*(?P<year>\d{4})\s*-\s*)?0*(?P<pk>\d{1,12})\s*$", re.IGNORECASE)


def note_field(label=_("Note (optional)")):
    return forms.CharField(label=label, required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    """A step with an optional note in the history (accept, start work, close)."""
    note = note_field()


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))], widget=forms.HiddenInput)
    # the level the page showed: a second POST of the same click must not move the case twice
    from_level = forms.CharField(widget=forms.HiddenInput)
    note = note_field(_("Why (optional)"))


class TransferForm(forms.Form):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none(),
                                    empty_label=_("Choose the office"))
    note = note_field(_("Note for the office (optional)"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(university_id=case.university_id, is_active=True)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer to the student"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5}))


class MergeForm(forms.Form):
    """Merge this case into another one, named by its reference (QY2026-000123) or picked
    from the similar open cases shown on the page."""
    reference = forms.CharField(label=_("Reference number of the case to merge into"), required=False,
                                max_length=30, widget=forms.TextInput(attrs={"placeholder": "QY2026-000123"}))
    target = forms.ModelChoiceField(label=_("or pick a similar open case"), queryset=Case.objects.none(),
                                    required=False, widget=forms.RadioSelect)
    note = note_field()

    def __init__(self, *args, case, cases, similar=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.cases = cases   # the cases the user may merge into (their scope)
        self.fields["target"].queryset = cases.filter(pk__in=[c.pk for c in similar])
        self.fields["target"].label_from_instance = lambda c: f"{c.reference} {c.title}"
        if not similar:
            del self.fields["target"]

    def clean(self):
        data = super().clean()
        target, reference = data.get("target"), (data.get("reference") or "").strip()
        if target is None and reference:
            match = REFERENCE.match(reference)
            found = None
            if match:
                found = self.cases.filter(pk=int(match["pk"]), university_id=self.case.university_id).first()
                if found is not None and match["year"] and f"{found.submitted_at:%Y}" != match["year"]:
                    found = None
            if found is None:
                self.add_error("reference", _("No case with this number that you handle."))
            target = found
        elif target is None:
            raise forms.ValidationError(_("Enter the reference number of the case to merge into."))
        data["into"] = target
        return data


class PublicForm(forms.Form):
    is_public = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why the case is not public"), required=False, max_length=200,
                             help_text=_("For example: personal health or safety."))


class InternalNoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note (handlers only)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InboxFilterForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(), required=False,
                                      empty_label=_("All categories"))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, university_ids, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.all() if university_ids is None else Category.objects.filter(
            university_id__in=university_ids)
        self.fields["category"].queryset = categories.select_related("university")
        if university_ids is None or len(university_ids) > 1:
            self.fields["category"].label_from_instance = lambda c: f"{c.university.name} · {c.label}"


class OfflineCaseForm(forms.Form):
    """A case heard at a stall, a forum or in direct contact, logged with the student's consent."""
    source = forms.ChoiceField(label=_("Heard at"), choices=Case.Source.choices)
    student_no = forms.CharField(label=_("Student number (学号)"), required=False, max_length=30,
                                 help_text=_("Leave empty when the student does not want to be named."))
    identity = forms.ChoiceField(label=_("Identity"), choices=Case.Identity.choices, initial=Case.Identity.HIDDEN,
                                 widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none(),
                                      empty_label=_("Choose the category"))
    title = forms.CharField(label=_("Title"), max_length=60)
    description = forms.CharField(label=_("What the student raised"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    consent = forms.BooleanField(label=_("The student agreed that the union records and follows up this case."),
                                 required=True, error_messages={
                                     "required": _("Record the student's consent before logging their case.")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].queryset = Category.objects.filter(university_id=user.university_id,
                                                                   is_active=True)

    def clean_student_no(self):
        number = self.cleaned_data["student_no"].strip()
        if not number:
            return None
        student = Student.objects.visible_to(self.user).filter(student_no=number,
                                                               university_id=self.user.university_id).first()
        if student is None:
            raise forms.ValidationError(_("No student with this number among the students you serve."))
        return student
