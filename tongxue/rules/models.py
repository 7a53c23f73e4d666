"""Rule configuration per university and year, attestations of the attestation items, and
overrides: a League teacher's written permission to make a change a rule would refuse."""
import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import TenantModel
from tongxue.domain import calendar, reform_rules
from tongxue.unions.models import Department, Membership, Union

ACADEMIC_YEAR_RE = re.compile(r"^(\d{4})-(\d{4})$")


def validate_academic_year(value: str) -> None:
    match = ACADEMIC_YEAR_RE.match(value or "")
    if not match or int(match[2]) != int(match[1]) + 1:
        raise ValidationError(_("Give the academic year as 2025-2026."))


def academic_year_of(day: datetime.date) -> str:
    """The name of the academic year containing `day` ("2025-2026"); see `tongxue.domain.calendar`."""
    return calendar.label_of(day)


def year_bounds(academic_year: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the academic year named "2025-2026" (1 September to 31 August)."""
    return calendar.academic_year_bounds(calendar.academic_year_from_label(academic_year))


ATTESTATION_CHOICES = [(rule_id, f"{rule_id} {reform_rules.RULES_BY_ID[rule_id].text_for(reform_rules.RuleConfig())}")
                       for rule_id in reform_rules.ATTESTATION_RULE_IDS]
# The filing form's header asks whether the provincial League / federation verified the table.
VERIFIED = "verified"
ATTESTATION_CHOICES.append((VERIFIED, _("verified by the provincial League committee / student federation")))
RULE_CHOICES = [(rule.id, f"{rule.id} {rule.text_for(reform_rules.RuleConfig())}") for rule in reform_rules.ALL_RULES]


class RuleConfig(TenantModel):
    """A university's limits from one academic year on; the national values fill the rest."""

    applies_from = models.CharField(_("applies from academic year"), max_length=9, validators=[validate_academic_year])
    overrides = models.JSONField(
        _("limits"), default=dict, blank=True,
        help_text=_('Only what differs from the national defaults, e.g. {"second_staff_max": 25}.'),
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rule configuration")
        verbose_name_plural = _("rule configurations")
        ordering = ["university", "-applies_from"]
        constraints = [models.UniqueConstraint(fields=["university", "applies_from"], name="ruleconfig_year_unique")]

    def __str__(self) -> str:
        return f"{self.university} · {self.applies_from}"

    def clean(self):
        try:
            self.as_domain()
        except (TypeError, ValueError) as error:
            raise ValidationError({"overrides": str(error)}) from error

    def as_domain(self) -> reform_rules.RuleConfig:
        return reform_rules.RuleConfig.with_overrides(self.overrides, self.applies_from)


class Attestation(TenantModel):
    """A signed yes/no for one attestation item of one union and academic year, with evidence."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="attestations", verbose_name=_("union"))
    academic_year = models.CharField(_("academic year"), max_length=9, validators=[validate_academic_year])
    rule_id = models.CharField(_("indicator"), max_length=10, choices=ATTESTATION_CHOICES)
    attested = models.BooleanField(_("attested"))
    text = models.TextField(_("statement"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("attested by"))
    at = models.DateTimeField(_("attested at"), auto_now=True)

    class Meta:
        verbose_name = _("attestation")
        verbose_name_plural = _("attestations")
        ordering = ["university", "union", "academic_year", "rule_id"]
        constraints = [models.UniqueConstraint(fields=["university", "union", "academic_year", "rule_id"],
                                               name="attestation_unique")]

    def __str__(self) -> str:
        return f"{self.union} · {self.academic_year} · {self.rule_id}"


class Override(TenantModel):
    """A change a rule refused, made anyway by a League teacher with a written reason. It shows
    as a finding (status `overridden`) in the self-assessment of its academic year."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="rule_overrides", verbose_name=_("union"))
    academic_year = models.CharField(_("academic year"), max_length=9, validators=[validate_academic_year])
    rule_id = models.CharField(_("indicator"), max_length=10, choices=RULE_CHOICES)
    reason = models.TextField(_("reason"))
    description = models.CharField(_("what was allowed"), max_length=300)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("allowed by"))
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("appointment"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("department"))
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule override")
        verbose_name_plural = _("rule overrides")
        ordering = ["university", "-created"]
        indexes = [models.Index(fields=["university", "union", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.union} · {self.rule_id} · {self.description}"
