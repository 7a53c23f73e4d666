"""The appointment page: a union's managers appoint a cadre; refusals name the rule; League
teachers see an extra "override with reason" field."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxue.rules.services import RuleViolation, can_override
from tongxue.unions.models import Department, Position, Union
from tongxue.unions.services import ensure_can_manage

from .appointments import appoint, title_violation


class AppointmentForm(forms.Form):
    student_no = forms.CharField(label=gettext_lazy("Student number"), max_length=32)
    position = forms.ChoiceField(label=gettext_lazy("Position"), choices=Position.choices)
    department = forms.ModelChoiceField(label=gettext_lazy("Department"), queryset=Department.objects.none(),
                                        required=False,
                                        help_text=gettext_lazy("Not for presidium members."))
    override_reason = forms.CharField(
        label=gettext_lazy("Override with reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only if a reform rule refuses this appointment: why it is made anyway. "
                               "The reason is recorded and shown in the self-assessment."),
    )

    def __init__(self, *args, union: Union, may_override: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        term = union.current_term()
        self.fields["department"].queryset = term.departments.all() if term else Department.objects.none()
        if not may_override:
            del self.fields["override_reason"]
        # A title outside the allowed set is refused with the rule's own message (S6 / C5).
        self.fields["position"].error_messages["invalid_choice"] = str(title_violation(union, "%(value)s"))

    def clean_student_no(self):
        student_no = self.cleaned_data["student_no"].strip()
        student = self.union.served_students().filter(student_no=student_no).first()
        if student is None:
            raise ValidationError(_("No student with this number is served by this union."))
        self.student = student
        return student_no

    def clean(self):
        data = super().clean()
        position = data.get("position")
        if position and position not in Position.presidium() and not data.get("department"):
            self.add_error("department", _("Department members need a department of the current term."))
        return data


@login_required
def appoint_view(request, pk):
    union = get_object_or_404(Union.objects.visible_to(request.user), pk=pk)
    ensure_can_manage(request.user, union)
    may_override = can_override(request.user, union)
    if request.method == "POST":
        form = AppointmentForm(request.POST, union=union, may_override=may_override)
    else:
        form = AppointmentForm(union=union, may_override=may_override)
    violation = None
    if request.method == "POST" and form.is_valid():
        try:
            membership = appoint(request.user, union, form.student, form.cleaned_data["position"],
                                 form.cleaned_data.get("department"),
                                 override_reason=form.cleaned_data.get("override_reason", ""))
        except RuleViolation as error:
            violation = str(error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s appointed as %(position)s.") % {
                "name": membership.student.name, "position": membership.get_position_display()})
            return redirect("unions:detail", pk=union.pk)
    return render(request, "cadres/appointments/appoint.html", {
        "union": union, "form": form, "may_override": may_override, "violation": violation,
    }, status=422 if violation else 200)
