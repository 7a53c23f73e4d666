"""Forms of the student's side of the rights desk: filing a case from a phone and rating the answer
(issue 4, items 1 and 4). Photos are checked here with `services.clean_photo`, so a bad file is
reported next to the field before anything is saved."""
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Case, Category


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Up to `services.MAX_PHOTOS` images from one `<input type=file multiple>`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > services.MAX_PHOTOS:
            raise forms.ValidationError(format_lazy(_("At most {n} photos."), n=services.MAX_PHOTOS),
                                        code="photo_count")
        return [super(MultiplePhotoField, self).clean(f, initial) for f in files]


IDENTITY_HELP = {
    Case.Identity.NAMED: _("Your name and college may appear on the public board with the answer."),
    Case.Identity.HIDDEN: _("Only the cadres handling your case see who you are, to follow up with you."),
    Case.Identity.ANONYMOUS: _("Nobody sees who you are and nobody can contact you by name: you follow the case "
                               "only through a private link shown once."),
}


class CaseForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=Category.objects.none(), widget=forms.RadioSelect,
        empty_label=None, error_messages={"required": _("Choose a category.")})
    title = forms.CharField(label=_("In one line"), max_length=60,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. No hot water in building 3"),
                                                          "autocomplete": "off"}))
    description = forms.CharField(
        label=_("What happened?"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("Where, since when, who is affected …")}))
    place = forms.CharField(label=_("Place (optional)"), max_length=100, required=False,
                            widget=forms.TextInput(attrs={"placeholder": _("e.g. Building 3, room 402")}))
    photos = MultiplePhotoField(label=_("Photos (optional, up to 3)"), required=False)
    identity = forms.ChoiceField(label=_("Who may see that it was you?"), choices=Case.Identity.choices,
                                 initial=Case.Identity.HIDDEN, widget=forms.RadioSelect)
    photos_public = forms.BooleanField(label=_("My photos may be shown on the public board"), required=False)

    def __init__(self, *args, university, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(university=university, is_active=True).order_by(
            "order", "code")

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        for photo in photos:
            services.clean_photo(photo)      # raises CaseError (a ValidationError) for what it cannot read
            photo.seek(0)
        return photos

    def identity_options(self):
        """The identity radios with their one-line explanations, for the template."""
        return [(option, IDENTITY_HELP[Case.Identity(option.data["value"])]) for option in self["identity"]]


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(choices=Case.Satisfaction.choices,
                                     error_messages={"required": _("Choose how satisfied you are.")})
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
