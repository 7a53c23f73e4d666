"""Forms of the calendar page (views_calendar.py); the changes are made by workcalendar.py."""
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CalendarOverride, OfficialCalendarDay, University

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfficialDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind"), choices=OfficialCalendarDay.Kind.choices)
    name = forms.CharField(label=_("Holiday"), max_length=50, required=False,
                           help_text=_("For example 春节; for a make-up working day, the holiday it belongs to."))


class OfficialYearForm(forms.Form):
    is_complete = forms.BooleanField(
        label=_("The schedule of this year is complete"), required=False,
        help_text=_("Once complete, the days entered here replace the package's days of this year and deadlines "
                    "can be counted in it."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("For example the number and date of the State Council notice."))


class BulkDaysForm(forms.Form):
    text = forms.CharField(
        label=_("Days from the State Council notice"), max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_("One line per day or range: date, kind (holiday or 休; workday or 班), holiday name. "
                    "For example “2027-01-01 holiday 元旦” or “2027-10-01~2027-10-07 休 国庆节”. "
                    "If any line is wrong, nothing is saved."),
    )


class OverrideForm(forms.Form):
    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.none(), empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarOverride.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("For example winter break or campus closure."))

    def __init__(self, *args, universities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["university"].queryset = universities
        if universities.count() < 2:
            self.fields["university"].widget = forms.HiddenInput()
