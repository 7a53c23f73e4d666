"""Forms of the selection pages (选拔)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.unions.models import Department, Position

from .models import ATTACHMENT_SUFFIXES, Application, PositionType, validate_attachment


class ApplyForm(forms.Form):
    position_type = forms.ChoiceField(label=_("Position applied for"), choices=PositionType.choices)
    department = forms.ModelChoiceField(label=_("Department wished"), queryset=Department.objects.none(),
                                        required=False, help_text=_("For department members only."))
    statement = forms.CharField(label=_("Statement"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("Why you apply and what you would do for your fellow students."))
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False, validators=[validate_attachment],
                                 help_text=_("PDF, JPEG, PNG or Word, at most 5 MB."),
                                 widget=forms.ClearableFileInput(attrs={"accept": ",".join(ATTACHMENT_SUFFIXES)}))

    def __init__(self, *args, recruitment, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = set(recruitment.openings.values_list("position_type", flat=True))
        self.fields["position_type"].choices = [(v, label) for v, label in PositionType.choices if v in kinds]
        ids = recruitment.openings.filter(department__isnull=False).values_list("department_id", flat=True)
        self.fields["department"].queryset = Department.objects.filter(pk__in=list(ids))
        if not ids:
            del self.fields["department"]


class DecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[(APPROVE, _("approve")), (REJECT, _("reject"))])
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you reject, and when you recommend an applicant the "
                                          "automatic check found ineligible."))


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Interview score"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=500)


class ObjectionForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Candidate"), queryset=Application.objects.none())
    text = forms.CharField(label=_("Your objection"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Only the approvers see who filed it."))

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = notice.applications.select_related("student")
        self.fields["application"].label_from_instance = lambda a: a.student.name


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class AppointFromNoticeForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False,
                                        help_text=_("Not for presidium members."))
    override_reason = forms.CharField(
        label=_("Override with reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if a reform rule refuses this appointment: why it is made anyway. "
                    "The reason is recorded and shown in the self-assessment."),
    )

    def __init__(self, *args, application, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        presidium = application.position_type == PositionType.PRESIDIUM
        self.fields["position"].choices = [(v, label) for v, label in Position.choices
                                           if (v in Position.presidium()) == presidium]
        if presidium:
            del self.fields["department"]
        else:
            self.fields["department"].queryset = application.recruitment.term.departments.all()
            self.fields["department"].initial = application.department_id
        if not may_override:
            del self.fields["override_reason"]


class RecruitmentForm(forms.Form):
    """A new call of one union: dates, notice period and the places offered — presidium places
    and, for each department of the current term, department places."""

    title = forms.CharField(label=_("Title"), max_length=200)
    call_text = forms.CharField(label=_("Call for applications"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))
    opens_at = forms.DateTimeField(label=_("Applications open"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Applications close"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    notice_working_days = forms.IntegerField(label=_("Public notice (working days)"), min_value=1, max_value=30,
                                             initial=5)
    presidium_places = forms.IntegerField(label=_("Presidium places"), min_value=0, max_value=10, initial=0,
                                          required=False)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.departments = list(departments)
        for department in self.departments:
            self.fields[f"department_{department.pk}"] = forms.IntegerField(
                label=_("Places in %(department)s") % {"department": department.name},
                min_value=0, max_value=50, initial=0, required=False)

    def openings(self) -> list[tuple]:
        rows = []
        if self.cleaned_data["presidium_places"]:
            rows.append((PositionType.PRESIDIUM, None, self.cleaned_data["presidium_places"]))
        for department in self.departments:
            if places := self.cleaned_data[f"department_{department.pk}"]:
                rows.append((PositionType.DEPARTMENT, department, places))
        return rows
