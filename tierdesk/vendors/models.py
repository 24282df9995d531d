"""Line-3 coordination records (regulation 6.3.2): which vendor, which coordinator, the vendor's
own ticket, what was asked and answered when, and the targets the vendor works to."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.enums import OPEN_STATUSES
from tierdesk.cases.models import AppendOnlyModel, AppendOnlyQuerySet, Case, CaseEvent
from tierdesk.organization.models import Vendor
from tierdesk.vendors.enums import EntryKind, TargetState


def target_state(due: datetime | None, met: datetime | None, now: datetime) -> TargetState:
    """Where one target stands: not set, running, late, or met (in time or late)."""
    if due is None:
        return TargetState.UNSET
    if met is not None:
        return TargetState.MET if met <= due else TargetState.MISSED
    return TargetState.OVERDUE if now > due else TargetState.DUE


class VendorCoordinationQuerySet(models.QuerySet):
    def overdue(self, now: datetime):
        """Records of open cases whose vendor has not answered or fixed by its target."""
        late_answer = Q(first_answer_at=None, response_due_at__lt=now)
        late_fix = Q(fixed_at=None, fix_due_at__lt=now)
        return self.filter(late_answer | late_fix, case__status__in=OPEN_STATUSES)


class VendorCoordination(models.Model):
    """One line-3 case's coordination with its partner vendor, through the coordinator."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="vendor_coordination", verbose_name=_("case")
    )
    # Copied from the case when the record changes: the list filters and scopes by them.
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, verbose_name=_("partner vendor"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("vendor coordinator"),
    )
    vendor_ticket = models.CharField(_("vendor's ticket number"), max_length=60, blank=True)
    response_due_at = models.DateTimeField(_("vendor response due"), null=True, blank=True)
    fix_due_at = models.DateTimeField(_("vendor fix due"), null=True, blank=True)
    first_answer_at = models.DateTimeField(_("vendor first answered at"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("vendor fix delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = VendorCoordinationQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("vendor coordination record")
        verbose_name_plural = _("vendor coordination records")
        indexes = [
            models.Index(fields=["vendor", "-id"], name="vendorcoord_vendor_list"),
            models.Index(
                fields=["response_due_at"],
                name="vendorcoord_response_open",
                condition=Q(first_answer_at=None),
            ),
            models.Index(
                fields=["fix_due_at"], name="vendorcoord_fix_open", condition=Q(fixed_at=None)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} / {self.vendor}"

    def response_state(self, now: datetime) -> TargetState:
        return target_state(self.response_due_at, self.first_answer_at, now)

    def fix_state(self, now: datetime) -> TargetState:
        return target_state(self.fix_due_at, self.fixed_at, now)

    def is_overdue(self, now: datetime) -> bool:
        return self.case.is_open and TargetState.OVERDUE in (
            self.response_state(now),
            self.fix_state(now),
        )


class VendorEntryQuerySet(AppendOnlyQuerySet):
    def customer_safe(self):
        return self.filter(is_internal=False)


class VendorEntry(AppendOnlyModel):
    """A request to the vendor or the vendor's answer, with who wrote it and when."""

    append_only_message = "vendor coordination entries are append-only"

    record = models.ForeignKey(
        VendorCoordination,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("vendor coordination record"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EntryKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"))
    text = models.TextField(_("text"))
    is_internal = models.BooleanField(_("internal"), default=False)
    case_event = models.OneToOneField(
        CaseEvent,
        on_delete=models.PROTECT,
        related_name="vendor_entry",
        verbose_name=_("case event"),
    )

    objects = VendorEntryQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("vendor coordination entry")
        verbose_name_plural = _("vendor coordination entries")

    def __str__(self) -> str:
        return f"{self.record_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"
