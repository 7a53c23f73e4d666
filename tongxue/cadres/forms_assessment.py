from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.domain import assessment as domain
from tongxue.unions.models import Union

from .models import AssessmentSource

SCORE_ATTRS = {"inputmode": "numeric", "min": "0", "max": "100"}


class RoundForm(forms.Form):
    union = forms.ModelChoiceField(label=_("Union"), queryset=Union.objects.none())
    label = forms.CharField(label=_("Label"), max_length=100, help_text=_("For example “2025-2026 first term”."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = Union.objects.manageable_by(user).order_by("level", "name")
        for source in domain.SOURCES:
            self.fields[f"weight_{source}"] = forms.IntegerField(
                label=_("Weight: %(source)s (%%)") % {"source": AssessmentSource(source).label},
                min_value=0, max_value=100, initial=domain.DEFAULT_WEIGHTS[source],
            )
        labels = {domain.EXCELLENT: _("Lowest total for “excellent”"), domain.GOOD: _("Lowest total for “good”"),
                  domain.PASS: _("Lowest total for “pass”")}
        for band, label in labels.items():
            self.fields[f"threshold_{band}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=domain.DEFAULT_THRESHOLDS[band])

    def clean(self):
        data = super().clean()
        weights = {s: data.get(f"weight_{s}") for s in domain.SOURCES}
        thresholds = {b: data.get(f"threshold_{b}") for b in (domain.EXCELLENT, domain.GOOD, domain.PASS)}
        if None not in weights.values() and domain.weight_errors(weights):
            raise forms.ValidationError(_("The weights must add up to 100."))
        if None not in thresholds.values() and domain.threshold_errors(thresholds):
            raise forms.ValidationError(_("The thresholds must go down from “excellent” to “pass”."))
        data["weights"], data["thresholds"] = weights, thresholds
        return data


class RateForm(forms.Form):
    performance = forms.IntegerField(label=_("Performance (0–100)"), min_value=0, max_value=100,
                                     widget=forms.NumberInput(attrs=SCORE_ATTRS))
    conduct = forms.IntegerField(label=_("Conduct (0–100)"), min_value=0, max_value=100,
                                 widget=forms.NumberInput(attrs=SCORE_ATTRS))


class BallotForm(forms.Form):
    """One pair of optional scores per cadre; a cadre left blank is not rated."""

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for m in self.memberships:
            for part, label in (("p", _("performance")), ("c", _("conduct"))):
                self.fields[f"{part}_{m.pk}"] = forms.IntegerField(
                    label=f"{m.student.name} · {label}", min_value=0, max_value=100, required=False,
                    widget=forms.NumberInput(attrs=SCORE_ATTRS))

    def clean(self):
        data = super().clean()
        scores = {}
        for m in self.memberships:
            performance, conduct = data.get(f"p_{m.pk}"), data.get(f"c_{m.pk}")
            if (performance is None) != (conduct is None):
                raise forms.ValidationError(_("Give both scores for %(name)s, or none.") % {"name": m.student.name})
            if performance is not None:
                scores[m.pk] = (performance, conduct)
        if not scores and not self.errors:
            raise forms.ValidationError(_("Rate at least one cadre."))
        data["scores"] = scores
        return data

    def rows(self):
        return [(m, self[f"p_{m.pk}"], self[f"c_{m.pk}"]) for m in self.memberships]
