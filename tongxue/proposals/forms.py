from django import forms
from django.utils.translation import gettext_lazy as _

from tongxue.rights.models import Office

from .models import Proposal


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "category", "reason", "suggestion"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 5}), "suggestion": forms.Textarea(attrs={"rows": 5})}


class DecisionForm(forms.Form):
    DECISIONS = [("accept", _("Accept and send to an office")), ("merge", _("Merge into another proposal")),
                 ("opinion", _("Turn into an opinion")), ("reject", _("Do not accept"))]
    decision = forms.ChoiceField(label=_("decision"), choices=DECISIONS)
    office = forms.ModelChoiceField(Office.objects.none(), label=_("responsible office"), required=False)
    into = forms.ModelChoiceField(Proposal.objects.none(), label=_("merge into"), required=False)
    note = forms.CharField(label=_("note or reason"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(university_id=proposal.university_id, is_active=True)
        self.fields["into"].queryset = Proposal.objects.filter(
            session_id=proposal.session_id,
            status__in=[Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED, Proposal.Status.ANSWERED],
        ).exclude(pk=proposal.pk)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "accept" and not data.get("office"):
            self.add_error("office", _("Choose the office that answers."))
        if decision == "merge" and not data.get("into"):
            self.add_error("into", _("Choose the proposal to merge into."))
        if decision == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason why the proposal is not accepted."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("satisfaction"), choices=Proposal.Satisfaction.choices,
                                     widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))
