"""Cases, the problems behind them, their append-only history, attachments and SLA data."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tierdesk.cases.enums import (
    OPEN_STATUSES,
    Channel,
    Classification,
    Clock,
    EventKind,
    Line,
    Priority,
    Source,
    Status,
    WaitingOn,
)
from tierdesk.organization.models import (
    LINE3_CATEGORIES,
    Contact,
    Customer,
    Product,
    ProductVersion,
    Region,
    Site,
    Vendor,
)


class BusinessCalendar(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=50, default="Asia/Shanghai")
    weekdays = models.CharField(
        _("working weekdays"),
        max_length=20,
        default="0,1,2,3,4",
        help_text=_("Comma-separated, 0 is Monday and 6 is Sunday."),
    )
    day_start = models.TimeField(_("day starts"), default="09:00")
    day_end = models.TimeField(_("day ends"), default="18:00")
    round_the_clock = models.BooleanField(_("round the clock"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Extra working day")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="days", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("name"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday or extra working day")
        verbose_name_plural = _("holidays and extra working days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="unique_calendar_day")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class SlaTarget(models.Model):
    """How fast a line must respond to and resolve a case of one priority."""

    clock = models.CharField(_("line"), max_length=10, choices=Clock.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(_("response target (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (minutes)"))
    warning_percent = models.PositiveSmallIntegerField(
        _("warn at (percent of the resolution target)"), default=80
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("calendar"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["clock", "priority"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [
            models.UniqueConstraint(fields=["clock", "priority"], name="unique_sla_target")
        ]

    def __str__(self) -> str:
        return f"{self.get_clock_display()} {self.priority}"


class Problem(models.Model):
    """The technical cause behind one or more cases (incidents)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        KNOWN_ERROR = "known_error", _("Known error")
        RESOLVED = "resolved", _("Resolved")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("product")
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return f"PRB{self.pk:05d} {self.title}"

    @property
    def reference(self) -> str:
        return f"PRB{self.pk:05d}"


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def breached(self):
        return self.exclude(breached_at=None)

    def due_before(self, moment):
        return self.open().filter(resolve_due_at__lt=moment)

    def reached_group(self, group: str):
        return self.filter(
            Exists(CaseParticipation.objects.filter(case=OuterRef("pk"), group=group))
        )

    def in_scope_of_vendor(self, vendor_id: int):
        return self.filter(vendor_id=vendor_id).reached_group(Status.VENDOR)


class Case(models.Model):
    """One incident or technical problem at one customer site."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, verbose_name=_("customer"))
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("contact")
    )
    site = models.ForeignKey(Site, on_delete=models.PROTECT, verbose_name=_("site"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name=_("region"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, verbose_name=_("product"))
    product_version = models.ForeignKey(
        ProductVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("product version"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    classification = models.CharField(
        _("classification"), max_length=30, choices=Classification.choices, blank=True
    )
    line3_category = models.CharField(
        _("line-3 category"),
        max_length=20,
        choices=[(c.value, c.label) for c in LINE3_CATEGORIES],
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.FIELD
    )
    line = models.PositiveSmallIntegerField(_("line"), choices=Line.choices, default=Line.LINE1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_cases",
        verbose_name=_("owner"),
    )
    line2_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="line2_cases",
        verbose_name=_("line-2 owner"),
        help_text=_(
            "The Engineering Service engineer accountable while specialists and vendors work."
        ),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reported_cases",
        verbose_name=_("reported by"),
    )
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("partner vendor")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_cases",
        verbose_name=_("vendor coordinator"),
    )
    problem = models.ForeignKey(
        Problem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("problem"),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    waiting_on = models.CharField(
        _("waiting on"), max_length=10, choices=WaitingOn.choices, blank=True, default=""
    )
    opened_at = models.DateTimeField(_("opened at"), db_index=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    warn_due_at = models.DateTimeField(_("SLA warning due"), null=True, blank=True)
    warned_at = models.DateTimeField(_("SLA warning at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("SLA breached at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["region", "status", "-id"], name="case_region_queue"),
            models.Index(fields=["status", "-id"], name="case_status_queue"),
            models.Index(fields=["owner", "status", "-id"], name="case_owner_queue"),
            models.Index(fields=["line2_owner", "status"], name="case_line2_owner"),
            # The regional period reports count cases opened, resolved and closed per region.
            models.Index(fields=["region", "opened_at"], name="case_region_opened"),
            models.Index(fields=["region", "resolved_at"], name="case_region_resolved"),
            models.Index(fields=["region", "closed_at"], name="case_region_closed"),
            models.Index(
                fields=["warn_due_at"],
                name="case_warn_due_open",
                condition=Q(warned_at=None) & ~Q(status__in=["resolved", "closed"]),
            ),
            models.Index(
                fields=["resolve_due_at"],
                name="case_resolve_due_open",
                condition=Q(breached_at=None) & ~Q(status__in=["resolved", "closed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return case_reference(self.pk)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now) -> bool:
        return is_overdue(self.status, self.resolve_due_at, now)


# Also for rows read as plain values (the queue), so that both show the same.
def case_reference(pk: int) -> str:
    return f"TD{pk:07d}"


def is_overdue(status: str, resolve_due_at, now) -> bool:
    return status in OPEN_STATUSES and resolve_due_at is not None and resolve_due_at < now


class CaseParticipation(models.Model):
    """Which handling groups a case has reached: they keep seeing it afterwards."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participations")
    group = models.CharField(max_length=20, choices=Status.choices)
    first_reached_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "group"], name="unique_case_group")]
        indexes = [models.Index(fields=["group", "case"], name="participation_group_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.group}"


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete history."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of a history: bulk updates and deletes are refused like single ones."""

    def update(self, **kwargs):
        raise AppendOnlyError(self.model.append_only_message)

    def delete(self):
        raise AppendOnlyError(self.model.append_only_message)


class AppendOnlyModel(models.Model):
    """A history row: written once, never changed or deleted by any code path."""

    append_only_message = "history is append-only"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.append_only_message)


class CaseEventQuerySet(AppendOnlyQuerySet):
    def customer_safe(self):
        return self.filter(is_internal=False)


class CaseEvent(AppendOnlyModel):
    """One entry of a case's append-only history."""

    append_only_message = "case history is append-only"

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    action = models.CharField(_("action"), max_length=30, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    from_line = models.PositiveSmallIntegerField(_("from line"), null=True, blank=True)
    to_line = models.PositiveSmallIntegerField(_("to line"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_internal = models.BooleanField(
        _("internal"),
        default=True,
        help_text=_("Internal entries are never shown to partner vendors or customers."),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("about"),
        help_text=_("The person the entry is about, such as the new owner of an assignment."),
    )
    field = models.CharField(_("field"), max_length=50, blank=True)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case history")
        indexes = [models.Index(fields=["case", "at"], name="event_case_time")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The outbox row commits or rolls back with the event itself: notifications and
        # webhooks are fanned out from it later, so a rolled-back change never announces itself
        # and a committed one is never forgotten.
        EventOutbox.objects.create(event=self)

    def _changed_field(self):
        try:
            return Case._meta.get_field(self.field)
        except FieldDoesNotExist:
            return None

    @property
    def field_label(self) -> str:
        """The changed field as people name it; the history keeps its code name."""
        field = self._changed_field()
        return capfirst(field.verbose_name) if field else self.field

    def _value_label(self, value: str) -> str:
        field = self._changed_field()
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return value

    @property
    def old_value_label(self) -> str:
        return self._value_label(self.old_value)

    @property
    def new_value_label(self) -> str:
        return self._value_label(self.new_value)


class EventOutbox(models.Model):
    """History entries not yet handed to notifications and webhooks; deleted once fanned out."""

    event = models.OneToOneField(
        CaseEvent, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )

    class Meta:
        verbose_name = _("event waiting to be announced")
        verbose_name_plural = _("events waiting to be announced")

    def __str__(self) -> str:
        return str(self.event_id)


def copied_case_region() -> models.ForeignKey:
    """The region of the case a row hangs off, copied onto the row when it is made (a case never
    changes region), so that a region's reports read such rows without reaching into the cases.
    Not indexed on its own: the model's report index leads with it."""
    return models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        db_index=False,
    )


class ClockSpan(models.Model):
    """One line's clock on a case: from when the line got it until it passed it on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clock_spans")
    region = copied_case_region()  # when the span starts; clockspan_region_ended leads with it
    clock = models.CharField(_("line"), max_length=10, choices=Clock.choices)
    started_at = models.DateTimeField(_("started"))
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    response_due_at = models.DateTimeField(_("response due"), null=True, blank=True)
    resolve_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    worked = models.DurationField(_("working time spent"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["case", "clock"], name="clockspan_case_clock"),
            # Reports take the spans that ended in a period.
            models.Index(fields=["ended_at"], name="clockspan_ended"),
            # A region's report reads every figure of its period's spans from this index alone.
            models.Index(
                fields=[
                    "region",
                    "ended_at",
                    "clock",
                    "resolve_due_at",
                    "started_at",
                    "responded_at",
                    "worked",
                ],
                name="clockspan_region_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.clock} {self.started_at:%Y-%m-%d %H:%M}"


class ClockPause(models.Model):
    """Time the case waited on the customer or the vendor: no line's clock runs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    waiting_on = models.CharField(max_length=10, choices=WaitingOn.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.waiting_on} {self.started_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename: str) -> str:
    # Random names: an uploaded file's name never decides where it lands or how it is served.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"cases/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case")
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    is_internal = models.BooleanField(_("internal"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
