"""Quality feedback forms (质量反馈单, regulation 6.2.2), their evidence and their history."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import AppendOnlyModel, Case
from tierdesk.organization.models import Product, Region
from tierdesk.quality.enums import FORM_TITLE, RECORD_NUMBER, Action, Frequency, Impact, State


class QualitySerialCounter(models.Model):
    """The last form number given out in one year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("quality feedback number counter")
        verbose_name_plural = _("quality feedback number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class QualityFeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=State.CLOSED)


class QualityFeedback(models.Model):
    """质量反馈单: a region reports a product quality issue to R&D test support."""

    RECORD_NUMBER = RECORD_NUMBER
    FORM_TITLE = FORM_TITLE

    serial = models.CharField(_("serial number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number in the year"), editable=False)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)

    # The region's part of the form.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quality_feedbacks",
        verbose_name=_("raised by"),
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    version_or_batch = models.CharField(_("version or batch"), max_length=100)
    fault_description = models.TextField(_("fault description"))
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    impact = models.CharField(_("impact"), max_length=12, choices=Impact.choices)
    cases = models.ManyToManyField(
        Case, blank=True, related_name="quality_feedbacks", verbose_name=_("linked cases")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    # R&D test support's answer.
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    fix = models.TextField(_("fix"), blank=True)
    fix_version = models.CharField(_("fix version"), max_length=100, blank=True)
    analysed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("analysed by"),
    )
    analysed_at = models.DateTimeField(_("analysed at"), null=True, blank=True)

    # The region's verification in the field.
    released_at = models.DateTimeField(_("handed over for verification at"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = QualityFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("quality feedback form")
        verbose_name_plural = _("quality feedback forms")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_quality_serial"),
        ]
        indexes = [
            models.Index(fields=["state", "-id"], name="quality_state_list"),
            models.Index(fields=["region", "state", "-id"], name="quality_region_list"),
            models.Index(fields=["product", "-id"], name="quality_product_list"),
        ]

    def __str__(self) -> str:
        return self.serial


def evidence_path(instance, filename: str) -> str:
    # Random names: an uploaded file's name never decides where it lands or how it is served.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"quality/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A photo, log or report attached to a form as evidence of the fault or of the fix."""

    feedback = models.ForeignKey(
        QualityFeedback,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("quality feedback form"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class QualityStep(AppendOnlyModel):
    """One step of a form's append-only history; each linked case gets its own timeline row."""

    append_only_message = "quality feedback history is append-only"

    feedback = models.ForeignKey(
        QualityFeedback,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("quality feedback form"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("quality feedback step")
        verbose_name_plural = _("quality feedback history")

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
