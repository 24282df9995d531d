"""Every change to a follow-up: planning, calls, the customer's answer, reassignment, overdue.

Each function locks the follow-up row first and the case second (through the workflow), always
in that order, so two callers working on the same follow-up cannot deadlock or both close it.
The case itself changes only through `cases.workflow.perform`; each follow-up step also writes a
FOLLOW_UP row to the case's history in the same transaction.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierdesk.cases import clocks, sla, workflow
from tierdesk.cases.enums import Action, EventKind, Status
from tierdesk.cases.models import Case, CaseEvent
from tierdesk.followups import links
from tierdesk.followups.enums import AnsweredVia, FollowUpState, Satisfaction, reopens_case
from tierdesk.followups.models import FollowUp, FollowUpAttempt, FollowUpRule
from tierdesk.followups.permissions import may_reassign, may_record
from tierdesk.organization.models import RoleCode, User
from tierdesk.organization.services import service_account


class AlreadyAnswered(Exception):
    """The follow-up was answered, closed or cancelled before this answer came in."""


# --- planning ----------------------------------------------------------------------------------


def rule_for(case: Case) -> FollowUpRule:
    """The case region's rule, else the default rule, else the built-in defaults."""
    rules = {
        rule.region_id: rule
        for rule in FollowUpRule.objects.select_related("calendar").filter(
            Q(region_id=case.region_id) | Q(region=None)
        )
    }
    return rules.get(case.region_id) or rules.get(None) or FollowUpRule()


def due_at(rule: FollowUpRule, *, start: datetime) -> datetime:
    duration = timedelta(hours=rule.due_within_hours)
    if rule.calendar is None:
        return start + duration
    calendar = clocks.working_calendar(rule.calendar)
    return sla.add_business_time(calendar=calendar, start=start, duration=duration)


def candidates(case: Case, role: str):
    """People of the role who may work on the case's follow-up, fewest open follow-ups first."""
    people = User.objects.filter(is_active=True, is_service_account=False, roles__code=role)
    if role == RoleCode.REGIONAL_SUPPORT:
        people = people.filter(region_id=case.region_id)
    return (
        people.distinct()
        .annotate(
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__state=FollowUpState.OPEN))
        )
        .order_by("open_follow_ups", "username")
    )


def reassignable_people(case: Case):
    """Who may be given a follow-up of this case: its region's regional support, supervisors."""
    return (
        User.objects.filter(is_active=True, is_service_account=False)
        .filter(
            Q(roles__code=RoleCode.REGIONAL_SUPPORT, region_id=case.region_id)
            | Q(roles__code=RoleCode.SUPERVISOR)
        )
        .distinct()
        .order_by("username")
    )


def choose_assignee(case: Case, rule: FollowUpRule) -> User | None:
    """The rule's role in the case's region with the least to do; supervisors if nobody.

    Deterministic: ties go to the username that sorts first.
    """
    return (
        candidates(case, rule.assignee_role).first()
        or candidates(case, RoleCode.SUPERVISOR).first()
    )


def _latest_transition(case: Case) -> CaseEvent | None:
    return case.events.filter(kind=EventKind.TRANSITION).order_by("-at", "-id").first()


# The case-history names of the steps that are news for the follow-up's caller.
PLANNED = "follow_up_planned"
OVERDUE = "follow_up_overdue"


def _history(
    follow_up: FollowUp, *, by: User | None, now: datetime, text: str, step: str = ""
) -> CaseEvent:
    return CaseEvent.objects.create(
        case_id=follow_up.case_id,
        kind=EventKind.FOLLOW_UP,
        action=step,
        actor=by,
        at=now,
        subject=follow_up.assignee if step else None,
        text=text,
        is_internal=True,
    )


@transaction.atomic
def plan(*, resolution: CaseEvent, now: datetime) -> FollowUp | None:
    """Create the follow-up owed for this resolution, once; None if none is owed (any more)."""
    case = Case.objects.get(pk=resolution.case_id)
    # A stale resolution (the case moved on since) owes nothing: the later event decides.
    if case.status != Status.RESOLVED or _latest_transition(case) != resolution:
        return None
    if FollowUp.objects.filter(resolution_event=resolution).exists():
        return None
    rule = rule_for(case)
    assignee = choose_assignee(case, rule)
    follow_up = FollowUp(
        case=case,
        region_id=case.region_id,
        resolution_event=resolution,
        assignee=assignee,
        created_at=now,
        due_at=due_at(rule, start=resolution.at),
        max_failed_attempts=rule.max_failed_attempts,
        link_valid_days=rule.link_valid_days,
    )
    # Uniqueness is left to the database: it alone sees a concurrent fan-out of the same event.
    follow_up.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # The same event may be fanned out twice at once: the unique resolution decides.
        with transaction.atomic():
            follow_up.save()
    except IntegrityError:
        return None
    _history(
        follow_up,
        by=None,
        now=now,
        step=PLANNED,
        text=_("Follow-up planned: %(who)s calls the customer back by %(due)s.")
        % {"who": assignee or _("nobody yet"), "due": _format(follow_up.due_at)},
    )
    return follow_up


@transaction.atomic
def cancel_for(event: CaseEvent, *, now: datetime) -> int:
    """The case was closed or reopened outside a follow-up: its open follow-up no longer applies."""
    cancelled = 0
    for follow_up in FollowUp.objects.select_for_update().filter(
        case_id=event.case_id, state=FollowUpState.OPEN, resolution_event__id__lt=event.pk
    ):
        follow_up.state = FollowUpState.CANCELLED
        follow_up.closed_at = now
        follow_up.save(update_fields=["state", "closed_at"])
        _history(
            follow_up,
            by=None,
            now=now,
            text=_("Follow-up cancelled: the case was “%(action)s” without it.")
            % {"action": Action(event.action).label},
        )
        cancelled += 1
    return cancelled


def _format(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- calls and answers -------------------------------------------------------------------------


def _lock(follow_up: FollowUp) -> FollowUp:
    # Lock the row: the caller and the customer's link may answer the same follow-up at once.
    return (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case", "assignee")
        .get(pk=follow_up.pk)
    )


def _require_case_resolved(follow_up: FollowUp) -> None:
    if follow_up.case.status != Status.RESOLVED:
        raise ValidationError(
            _("The case is no longer resolved (“%(status)s”); this follow-up no longer applies.")
            % {"status": follow_up.case.get_status_display()}
        )


def _require_may_record(follow_up: FollowUp, by: User) -> None:
    if not may_record(follow_up, by):
        raise PermissionDenied(_("You may not work on this follow-up."))


def _refuse_closed(follow_up: FollowUp) -> None:
    if not follow_up.is_open:
        raise ValidationError(
            _("This follow-up is already “%(state)s”.") % {"state": follow_up.get_state_display()}
        )


@transaction.atomic
def record_attempt(
    follow_up: FollowUp, *, by: User, reached: bool, note: str = "", now: datetime
) -> FollowUpAttempt:
    """Record one call; the rule's number of failed calls closes the case as unreachable."""
    follow_up = _lock(follow_up)
    _require_may_record(follow_up, by)
    _refuse_closed(follow_up)
    _require_case_resolved(follow_up)
    attempt = FollowUpAttempt(
        follow_up=follow_up, caller=by, at=now, reached=reached, note=(note or "").strip()
    )
    attempt.full_clean()
    attempt.save()
    failed = follow_up.attempts.filter(reached=False).count()
    if reached:
        text = _("Follow-up call: customer reached.")
    else:
        text = _("Follow-up call: customer not reached (%(failed)s of %(max)s).") % {
            "failed": failed,
            "max": follow_up.max_failed_attempts,
        }
    if attempt.note:
        text = f"{text}\n{attempt.note}"
    _history(follow_up, by=by, now=now, text=text)
    if not reached and failed >= follow_up.max_failed_attempts:
        follow_up.state = FollowUpState.UNREACHABLE
        follow_up.closed_at = now
        follow_up.save(update_fields=["state", "closed_at"])
        workflow.perform(
            follow_up.case,
            action=Action.CLOSE,
            by=by,
            now=now,
            text=_("Closed: the customer could not be reached after %(failed)s follow-up calls.")
            % {"failed": failed},
        )
    return attempt


def _apply_answer(
    follow_up: FollowUp,
    *,
    satisfaction: str,
    comment: str,
    via: AnsweredVia,
    acting: User,
    recorded_by: User,
    now: datetime,
    prefix: str,
) -> FollowUp:
    """Store the answer, write it to the history, then close or reopen the case."""
    if satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Choose one of the five levels.")})
    comment = (comment or "").strip()
    if reopens_case(satisfaction) and not comment:
        # The comment becomes the reason the case is reopened: the line needs to know why.
        raise ValidationError(
            {"comment": _("Say what the customer is unhappy with: the case is reopened with it.")}
        )
    level = Satisfaction(satisfaction)
    follow_up.satisfaction = level
    follow_up.comment = comment
    follow_up.answered_via = via
    follow_up.closed_at = now
    follow_up.state = FollowUpState.UNSATISFIED if reopens_case(level) else FollowUpState.SATISFIED
    follow_up.full_clean(validate_constraints=False)
    follow_up.save(update_fields=["satisfaction", "comment", "answered_via", "closed_at", "state"])
    summary = _("%(prefix)s: %(level)s.") % {"prefix": prefix, "level": level.label}
    text = f"{summary}\n{comment}" if comment else summary
    _history(follow_up, by=recorded_by, now=now, text=text)
    workflow.perform(
        follow_up.case,
        action=Action.REOPEN if reopens_case(level) else Action.CLOSE,
        by=acting,
        now=now,
        text=text,
    )
    return follow_up


@transaction.atomic
def record_answer(
    follow_up: FollowUp, *, by: User, satisfaction: str, comment: str = "", now: datetime
) -> FollowUp:
    """The customer answered the call: satisfied or neutral closes the case, dissatisfied
    reopens it at the line that resolved it, with the comment as the reason."""
    follow_up = _lock(follow_up)
    _require_may_record(follow_up, by)
    _refuse_closed(follow_up)
    _require_case_resolved(follow_up)
    FollowUpAttempt.objects.create(follow_up=follow_up, caller=by, at=now, reached=True)
    return _apply_answer(
        follow_up,
        satisfaction=satisfaction,
        comment=comment,
        via=AnsweredVia.PHONE,
        acting=by,
        recorded_by=by,
        now=now,
        prefix=_("Follow-up answered by phone"),
    )


@transaction.atomic
def reassign(follow_up: FollowUp, *, by: User, to: User, now: datetime) -> FollowUp:
    follow_up = _lock(follow_up)
    if not may_reassign(follow_up, by):
        raise PermissionDenied(_("You may not reassign this follow-up."))
    _refuse_closed(follow_up)
    if not reassignable_people(follow_up.case).filter(pk=to.pk).exists():
        raise ValidationError(
            {
                "to": _("%(person)s is neither regional support of this region nor a supervisor.")
                % {"person": to}
            }
        )
    if to.pk == follow_up.assignee_id:
        return follow_up
    old = follow_up.assignee
    follow_up.assignee = to
    follow_up.save(update_fields=["assignee"])
    _history(
        follow_up,
        by=by,
        now=now,
        text=_("Follow-up reassigned from %(old)s to %(new)s.")
        % {"old": old or _("nobody"), "new": to},
    )
    return follow_up


# --- the customer's answer link ----------------------------------------------------------------


def answer_token(follow_up: FollowUp, *, now: datetime) -> str:
    return links.make_token(follow_up.pk, now=now)


def follow_up_for_token(token: str, *, now: datetime) -> FollowUp:
    """The follow-up a customer's link names; InvalidLink or ExpiredLink otherwise."""
    follow_up_id, age = links.read_token(token, now=now)
    follow_up = (
        FollowUp.objects.select_related("case", "case__customer").filter(pk=follow_up_id).first()
    )
    if follow_up is None:
        raise links.InvalidLink
    links.check_age(age, valid_days=follow_up.link_valid_days)
    return follow_up


@transaction.atomic
def answer_by_link(token: str, *, satisfaction: str, comment: str = "", now: datetime) -> FollowUp:
    """The customer answered through the mailed link, once.

    The history entry is the follow-up service account's: the customer is not a user. The
    case is closed or reopened by the follow-up's assignee, the person accountable for it,
    because the workflow lets only regional support and supervisors take those steps.
    """
    follow_up = _lock(follow_up_for_token(token, now=now))
    # Checked under the lock: a second use of the link, or a call answered meanwhile, loses.
    if not follow_up.is_open:
        raise AlreadyAnswered
    _require_case_resolved(follow_up)
    if follow_up.assignee is None:
        raise ValidationError(_("Nobody is responsible for this follow-up yet; please call us."))
    return _apply_answer(
        follow_up,
        satisfaction=satisfaction,
        comment=comment,
        via=AnsweredVia.LINK,
        acting=follow_up.assignee,
        recorded_by=service_account("follow-up", name=_("Follow-up link")),
        now=now,
        prefix=_("Answered by the customer through the link"),
    )


@transaction.atomic
def mail_answer_link(follow_up: FollowUp, *, by: User, now: datetime) -> str:
    """Queue the customer's answer link for the case's contact; returns the address used.

    The mail goes out from a background job: the queue row is written in this transaction, so
    the history and the mail come together or not at all, and the mail server never holds up
    the caller's page.
    """
    from tierdesk.followups.tasks import send_answer_link  # the task module imports this one

    follow_up = FollowUp.objects.select_related("case", "case__contact").get(pk=follow_up.pk)
    _require_may_record(follow_up, by)
    _refuse_closed(follow_up)
    _require_case_resolved(follow_up)
    contact = follow_up.case.contact
    if contact is None or not contact.email:
        raise ValidationError(_("The case has no contact with an e-mail address."))
    url = links.answer_url(answer_token(follow_up, now=now))
    send_answer_link.enqueue(follow_up.pk, url)
    _history(
        follow_up,
        by=by,
        now=now,
        text=_("Answer link mailed to %(contact)s <%(email)s>.")
        % {"contact": contact.name, "email": contact.email},
    )
    return contact.email


def send_answer_link_now(follow_up_id: int, *, url: str) -> None:
    """The queued half of mail_answer_link: a refused mail fails the job, visibly, for a retry."""
    follow_up = FollowUp.objects.select_related("case", "case__contact").get(pk=follow_up_id)
    mail.mailers.default.send_messages([_answer_link_mail(follow_up, url=url)])


def _answer_link_mail(follow_up: FollowUp, *, url: str) -> EmailMessage:
    # Customers read the site's language (Chinese by default), whoever sends the mail.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"case": follow_up.case, "url": url, "days": follow_up.link_valid_days}
        subject = render_to_string("followups/mail/answer_link_subject.txt", context)
        body = render_to_string("followups/mail/answer_link_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.TIERDESK_MAIL_FROM,
        to=[follow_up.case.contact.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


# --- overdue -----------------------------------------------------------------------------------


def mark_overdue(*, now: datetime, batch: int = 200) -> int:
    """Note each open follow-up past its due time once, in the case's history.

    Safe to run again or twice at once: each row is claimed under a lock and skipped once marked.
    """
    marked = 0
    while True:
        with transaction.atomic():
            due = list(
                FollowUp.objects.select_for_update(skip_locked=True)
                .filter(state=FollowUpState.OPEN, overdue_at=None, due_at__lt=now)
                .order_by("due_at", "id")[:batch]
            )
            for follow_up in due:
                follow_up.overdue_at = now
                follow_up.save(update_fields=["overdue_at"])
                _history(
                    follow_up,
                    by=None,
                    now=now,
                    step=OVERDUE,
                    text=_("Follow-up overdue: it was due at %(due)s.")
                    % {"due": _format(follow_up.due_at)},
                )
            marked += len(due)
        if len(due) < batch:
            return marked
