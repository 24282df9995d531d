"""Follow-up rules (data), the follow-up call owed after each resolution, and each call attempt."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import BusinessCalendar, Case, CaseEvent, copied_case_region
from tierdesk.followups.enums import AnsweredVia, FollowUpState, Satisfaction
from tierdesk.organization.models import Region, RoleCode

# Only these roles may close or reopen a resolved case (cases.workflow.FOLLOW_UP), so only they
# can be made responsible for a follow-up.
ASSIGNEE_ROLES = [RoleCode.REGIONAL_SUPPORT, RoleCode.SUPERVISOR]


class FollowUpRule(models.Model):
    """Who calls the customer back after a case of a region is resolved, how fast, how often."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty: the default rule for every region without its own."),
    )
    assignee_role = models.CharField(
        _("assigned to role"),
        max_length=30,
        choices=[(role.value, role.label) for role in ASSIGNEE_ROLES],
        default=RoleCode.REGIONAL_SUPPORT,
        help_text=_(
            "Regional support of the case's region, or a supervisor; the one with the fewest "
            "open follow-ups gets it."
        ),
    )
    due_within_hours = models.PositiveIntegerField(_("due within (hours)"), default=24)
    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("count in the working hours of"),
        help_text=_("Empty: count every hour of the clock."),
    )
    max_failed_attempts = models.PositiveSmallIntegerField(
        _("close as unreachable after (failed calls)"), default=3
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("customer's answer link valid for (days)"), default=7
    )

    class Meta:
        ordering = [models.F("region").asc(nulls_first=True)]
        verbose_name = _("follow-up rule")
        verbose_name_plural = _("follow-up rules")
        constraints = [
            # One rule per region, and one default rule (region empty).
            models.UniqueConstraint(
                Coalesce("region", Value(0)), name="one_follow_up_rule_per_region"
            ),
            models.CheckConstraint(
                condition=Q(max_failed_attempts__gte=1), name="follow_up_rule_attempts_positive"
            ),
            models.CheckConstraint(
                condition=Q(link_valid_days__gte=1), name="follow_up_rule_link_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(due_within_hours__gte=1), name="follow_up_rule_due_positive"
            ),
        ]

    def __str__(self) -> str:
        if self.region_id is None:
            return str(_("Default follow-up rule"))
        return str(_("Follow-up rule for %(region)s") % {"region": self.region})


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=FollowUpState.OPEN)

    def overdue(self, now: datetime):
        return self.open().filter(due_at__lt=now)

    def due_first(self):
        return self.order_by("due_at", "id")


class FollowUp(models.Model):
    """The satisfaction call owed to the customer after one resolution of a case (6.2.5)."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("case")
    )
    region = copied_case_region()  # when planned; follow_up_region_answered leads with it
    resolution_event = models.OneToOneField(
        CaseEvent,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resolution"),
        help_text=_("The history entry that resolved the case; one follow-up per resolution."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=FollowUpState.choices, default=FollowUpState.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due"))
    overdue_at = models.DateTimeField(
        _("marked overdue at"),
        null=True,
        blank=True,
        help_text=_("When the overdue pass found it still open after its due time."),
    )
    # Copied from the rule when planned: changing a rule does not move calls already promised.
    max_failed_attempts = models.PositiveSmallIntegerField(
        _("close as unreachable after (failed calls)")
    )
    link_valid_days = models.PositiveSmallIntegerField(_("customer's answer link valid for (days)"))
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_via = models.CharField(
        _("answered via"), max_length=10, choices=AnsweredVia.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="open"), name="one_open_follow_up_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"], name="follow_up_assignee_due"),
            models.Index(fields=["state", "due_at"], name="follow_up_state_due"),
            # Reports and the assessment take the follow-ups answered in a period, per region
            # (through the case) or per assignee: the index alone answers them.
            models.Index(
                fields=["closed_at", "satisfaction", "assignee", "case"], name="follow_up_answered"
            ),
            models.Index(
                fields=["region", "closed_at", "satisfaction"], name="follow_up_region_answered"
            ),
            models.Index(
                fields=["due_at"],
                name="follow_up_overdue_scan",
                condition=Q(state="open", overdue_at=None),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Follow-up of %(case)s") % {"case": self.case.reference})

    @property
    def is_open(self) -> bool:
        return self.state == FollowUpState.OPEN

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at < now


class FollowUpAttempt(models.Model):
    """One call to the customer: reached or not, and what was said."""

    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("follow-up")
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caller"),
    )
    at = models.DateTimeField(_("at"))
    reached = models.BooleanField(_("customer reached"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("follow-up call")
        verbose_name_plural = _("follow-up calls")

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.at:%Y-%m-%d %H:%M}"
