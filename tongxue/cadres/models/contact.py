"""Direct contact with students (直接联系同学, rules.md §6; issue 3, item 7): each cadre is
assigned classes or dorms and logs the contacts they make."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongxue.core.models import StudentClass, TenantModel
from tongxue.unions.models import Membership

__all__ = ["ContactAssignment", "ContactLog", "ContactChannel"]


class ContactChannel(models.TextChoices):
    FACE_TO_FACE = "face", _("face to face")
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone")
    FORUM = "forum", _("forum or meeting")
    STALL = "stall", _("information stall")


class ContactAssignment(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="contact_assignments",
                                   verbose_name=_("cadre"))
    student_class = models.ForeignKey(StudentClass, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="contact_assignments", verbose_name=_("class"))
    dorm = models.CharField(_("dorm"), max_length=100, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact assignment")
        verbose_name_plural = _("contact assignments")
        ordering = ["university", "membership", "starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(student_class__isnull=False) | ~models.Q(dorm=""),
                                   name="assignment_has_class_or_dorm"),
        ]
        indexes = [models.Index(fields=["university", "student_class"])]

    def __str__(self) -> str:
        return f"{self.membership.student.name} · {self.student_class or self.dorm}"


class ContactLog(TenantModel):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="contact_logs",
                                   verbose_name=_("cadre"))
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel)
    student_class = models.ForeignKey(StudentClass, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="contact_logs", verbose_name=_("class"))
    dorm = models.CharField(_("dorm"), max_length=100, blank=True)
    raised = models.TextField(_("what was raised"))
    case_ref = models.CharField(_("rights case"), max_length=200, blank=True,
                                help_text=_("Number or link of the rights case opened, if any."))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact log")
        verbose_name_plural = _("contact logs")
        ordering = ["university", "-date", "-created"]
        indexes = [models.Index(fields=["university", "student_class", "date"])]

    def __str__(self) -> str:
        return f"{self.membership.student.name} · {self.date}"
