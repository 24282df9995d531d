"""The on-site technical-support application (appendix A, R GSB 316.010.01) and its steps."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import AppendOnlyModel, Case, CaseEvent
from tierdesk.onsite.enums import (
    FINISHED_STATES,
    FORM_TITLE,
    RECORD_NUMBER,
    Action,
    Decision,
    Result,
    State,
    Urgency,
)
from tierdesk.organization.models import Customer, Product, ProductVersion, Region, Site


class SerialCounter(models.Model):
    """The last serial number given out in one year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial number counter")
        verbose_name_plural = _("serial number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class OnsiteApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state__in=FINISHED_STATES)


class OnsiteApplication(models.Model):
    """现场售后技术支持申请表: regional support asks Engineering Service to come on site."""

    RECORD_NUMBER = RECORD_NUMBER
    FORM_TITLE = FORM_TITLE

    serial = models.CharField(_("serial number"), max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number in the year"), editable=False)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="onsite_applications", verbose_name=_("case")
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)

    # The applicant's part of the form.
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="onsite_applications",
        verbose_name=_("applicant"),
    )
    applicant_phone = models.CharField(_("applicant's phone"), max_length=40, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, verbose_name=_("customer"))
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    site_address = models.CharField(_("site address"), max_length=300, blank=True)
    site_contact = models.CharField(_("customer contact on site"), max_length=100, blank=True)
    site_contact_phone = models.CharField(_("contact's phone"), max_length=40, blank=True)
    # A draft may be saved half-filled; submitting checks these (workflow.REQUIRED_TO_SUBMIT).
    project = models.CharField(_("project"), max_length=200, blank=True)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    product_version = models.ForeignKey(
        ProductVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("product version"),
    )
    fault_description = models.TextField(_("fault description"))
    measures_taken = models.TextField(_("what was already tried"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    wished_date = models.DateField(_("wished on-site date"), null=True, blank=True)
    skills_needed = models.TextField(_("skills needed"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    # Engineering Service's decision.
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approver"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    # The dispatch.
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="onsite_dispatches",
        verbose_name=_("on-site engineer"),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dispatched by"),
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived on site at"), null=True, blank=True)

    # The on-site report.
    findings = models.TextField(_("findings"), blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    customer_signoff_name = models.CharField(_("customer sign-off"), max_length=100, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

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

    objects = OnsiteApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("on-site support application")
        verbose_name_plural = _("on-site support applications")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_onsite_serial"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start"))
                | Q(planned_end=None)
                | Q(planned_start=None),
                name="onsite_planned_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-id"], name="onsite_state_list"),
            models.Index(fields=["region", "state", "-id"], name="onsite_region_list"),
            models.Index(fields=["engineer", "state"], name="onsite_engineer"),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED_STATES


class OnsiteStep(AppendOnlyModel):
    """One step of an application's append-only history, tied to its row on the case timeline."""

    append_only_message = "on-site application history is append-only"

    application = models.ForeignKey(
        OnsiteApplication,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)
    case_event = models.OneToOneField(
        CaseEvent,
        on_delete=models.PROTECT,
        related_name="onsite_step",
        verbose_name=_("case event"),
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("on-site application step")
        verbose_name_plural = _("on-site application history")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
