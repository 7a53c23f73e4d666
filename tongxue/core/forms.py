from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import University, User


class LoginForm(AuthenticationForm):
    """Log in with a 学号 or 工号; the university is asked only when the deployment hosts several."""

    university = forms.ModelChoiceField(
        label=_("University"), queryset=University.objects.all(), required=False, empty_label=None
    )
    username = forms.CharField(
        label=_("Student or staff number"), max_length=32,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}),
    )

    field_order = ["university", "username", "password"]

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        universities = list(University.objects.all()[:2])
        if len(universities) < 2:
            self.fields["university"].widget = forms.HiddenInput()

    def clean(self):
        login_id = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        university = self.cleaned_data.get("university")
        if university is None and User.objects.filter(university__isnull=False).exists():
            university = University.objects.order_by("pk").first()
        if login_id and password:
            candidates = [User.make_username(university.code if university else None, login_id)]
            if "/" in login_id:  # federation accounts and administrators type the full name
                candidates.insert(0, login_id)
            for username in candidates:
                self.user_cache = authenticate(self.request, username=username, password=password)
                if self.user_cache is not None:
                    break
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class RosterImportForm(forms.Form):
    """Upload of a roster file; the university is asked only when the account keeps several."""

    MAX_SIZE = 20 * 1024 * 1024

    university = forms.ModelChoiceField(label=_("University"), queryset=University.objects.none(), empty_label=None)
    file = forms.FileField(
        label=_("Roster file (.xlsx or .csv)"),
        help_text=_("One header row: 学号, 姓名, 性别, 民族, 政治面貌, 学院, 专业, 年级, 班级, 手机号; "
                    "optional 培养层次 and 邮箱. Other columns are ignored."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, universities=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["university"]
        field.queryset = universities
        if len(universities[:2]) == 1:
            field.initial = universities[0].pk
            field.widget = forms.HiddenInput()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > self.MAX_SIZE:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class AcademicImportForm(RosterImportForm):
    """Upload of academic results; the same checks on the file as the roster."""

    file = forms.FileField(
        label=_("Academic results file (.xlsx or .csv)"),
        help_text=_("One header row: 学号, 学期 (2025-2026-1) or 学年 (2025-2026), 类型 (学期, 学年 or 累计), "
                    "专业排名, 专业人数, 不及格门数; optional 姓名, checked against the roster. "
                    "Other columns are ignored."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Also for accounts that have never had a password: students created by a roster import
    set their first password this way (Django's form skips accounts with unusable passwords)."""

    def get_users(self, email):
        return (
            user for user in User.objects.filter(email__iexact=email, is_active=True)
            if _email_matches(user.email, email)
        )


def _email_matches(stored: str, given: str) -> bool:
    return auth_forms._unicode_ci_compare(stored, given)
