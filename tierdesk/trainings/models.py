"""Training sessions regional support holds for its region's staff (regulation 6.1.2 b), who
attended them, the articles they covered and the material handed out."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierdesk.knowledge.models import Article
from tierdesk.organization.models import Region


class SessionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class TrainingSessionQuerySet(models.QuerySet):
    def held(self):
        return self.filter(state=SessionState.HELD)

    def between(self, start, end):
        """Sessions held on a day in [start, end)."""
        return self.filter(held_on__gte=start, held_on__lt=end)


class TrainingSession(models.Model):
    """One session: who trained whom in which region, on what, with which articles."""

    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("region")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trainings_given",
        verbose_name=_("trainer"),
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    topics = models.TextField(_("topics"))
    articles = models.ManyToManyField(
        Article, blank=True, related_name="training_sessions", verbose_name=_("articles covered")
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Attendance",
        related_name="trainings_attended",
        verbose_name=_("attendees"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=SessionState.choices, default=SessionState.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        indexes = [
            models.Index(fields=["region", "held_on"], name="training_region_day"),
            models.Index(fields=["trainer", "held_on"], name="training_trainer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def is_cancelled(self) -> bool:
        return self.state == SessionState.CANCELLED


class Attendance(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("training session"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_attendances",
        verbose_name=_("person"),
    )
    status = models.CharField(
        _("attendance"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["person__username"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="unique_session_attendee")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.person_id} {self.status}"


def material_path(instance, filename: str) -> str:
    # Random names: an uploaded file's name never decides where it lands or how it is served.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"trainings/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Material(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("training session"),
    )
    file = models.FileField(_("file"), upload_to=material_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")

    def __str__(self) -> str:
        return self.original_name
