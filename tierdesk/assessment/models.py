"""A quarter's assessment (table 1): comments per person, the supervisor's sign-off that locks
it; and the record of the regional reports already mailed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierdesk.organization.models import Region
from tierdesk.reports.periods import QUARTER, Period


class Item(models.TextChoices):
    """The two check items of table 1."""

    SATISFACTION = "satisfaction", _("Support satisfaction")
    KNOWLEDGE = "knowledge", _("Knowledge accumulation")


class QuarterlyAssessment(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(n, f"Q{n}") for n in range(1, 5)]
    )
    conclusion = models.TextField(_("supervisor's conclusion"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    # The figures as the supervisor signed them off: later changes to cases or follow-ups
    # (a late answer, a reopened case) must not rewrite a locked quarter.
    figures = models.JSONField(_("figures as signed off"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("quarterly assessment")
        verbose_name_plural = _("quarterly assessments")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="one_assessment_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="assessment_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Assessment %(quarter)s") % {"quarter": self.period.label()})

    @property
    def period(self) -> Period:
        return Period(QUARTER, self.year, self.quarter)

    @property
    def is_locked(self) -> bool:
        return self.signed_off_at is not None


class AssessmentComment(models.Model):
    """The supervisor's comment on one person's result for one check item."""

    assessment = models.ForeignKey(
        QuarterlyAssessment,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("assessment"),
    )
    item = models.CharField(_("check item"), max_length=20, choices=Item.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person assessed"),
    )
    text = models.TextField(_("comment"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["assessment", "item", "person"]
        verbose_name = _("assessment comment")
        verbose_name_plural = _("assessment comments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item", "person"], name="one_comment_per_person_and_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item} {self.person}"


class ReportDispatch(models.Model):
    """A region's report for one period was mailed: the scheduled job sends each one once."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    period = models.CharField(_("period"), max_length=10)
    sent_at = models.DateTimeField(_("sent at"))
    recipients = models.PositiveIntegerField(_("recipients"))

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report sent")
        verbose_name_plural = _("reports sent")
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="one_dispatch_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.period}"
