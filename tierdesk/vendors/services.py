"""The one place a vendor coordination record changes: targets, ticket number and entries.

Each function locks the case (the record is one per case and is opened on its first change),
checks who may act, and writes the change and its VENDOR_COORDINATION row on the case's history
in the same transaction. Requests and answers are customer-safe so the vendor reads them;
internal notes are not.
"""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import workflow as case_workflow
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Case, CaseEvent
from tierdesk.cases.workflow import ConflictError
from tierdesk.organization.models import User
from tierdesk.vendors import access
from tierdesk.vendors.enums import ANSWERS, CHANGE_OF_ENTRY, Change, EntryKind
from tierdesk.vendors.models import VendorCoordination, VendorEntry

ENTRY_TEXTS = {
    EntryKind.REQUEST: _("Request to %(vendor)s by %(person)s:"),
    EntryKind.ANSWER: _("Answer from %(vendor)s, recorded by %(person)s:"),
    EntryKind.FIX: _("Fix delivered by %(vendor)s, recorded by %(person)s:"),
    EntryKind.NOTE: _("Internal note on the vendor coordination by %(person)s:"),
}


class RecordConflictError(ConflictError):
    """Someone else changed the record since the actor loaded it."""

    def __init__(self, record: VendorCoordination):
        # The API's conflict handler reads `case` for the version: the record stands in.
        self.case = record
        self.changed_by = record.updated_by
        self.changed_at = record.updated_at
        Exception.__init__(
            self,
            _("Changed by %(who)s at %(when)s; reload the record and try again.")
            % {
                "who": record.updated_by or _("the system"),
                "when": f"{timezone.localtime(record.updated_at):%Y-%m-%d %H:%M:%S}",
            },
        )


def _local(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _open_record(
    case: Case, *, by: User, now: datetime, expected_version: int | None
) -> tuple[Case, VendorCoordination]:
    """Lock the case and its record, opening the record on the case's first coordination."""
    case = case_workflow.lock_case(case, by=by)
    if not access.is_line3_case(case):
        raise ValidationError(_("This case has not been handed to a partner vendor."))
    record = VendorCoordination.objects.select_related("updated_by").filter(case=case).first()
    if record is None:
        record = VendorCoordination(case=case, created_at=now, version=0)
    elif expected_version is not None and record.version != expected_version:
        raise RecordConflictError(record)
    # The case may have gone to another vendor or coordinator since the record was opened.
    record.vendor_id, record.coordinator_id = case.vendor_id, case.coordinator_id
    return case, record


def _save(record: VendorCoordination, *, by: User, now: datetime) -> None:
    record.version += 1
    record.updated_at = now
    record.updated_by = by
    record.full_clean(exclude=["case"])
    record.save()


@transaction.atomic
def set_targets(
    case: Case,
    *,
    by: User,
    now: datetime,
    vendor_ticket: str | None = None,
    response_due_at: datetime | None = None,
    fix_due_at: datetime | None = None,
    expected_version: int | None = None,
) -> VendorCoordination:
    """Note the vendor's ticket number and the response and fix targets agreed with the vendor.

    The coordinator sets all three; the vendor contact may only note its own ticket number.
    Arguments left as None keep their value.
    """
    if vendor_ticket is None and response_due_at is None and fix_due_at is None:
        raise ValidationError(_("Give the vendor's ticket number or a target to set."))
    case, record = _open_record(case, by=by, now=now, expected_version=expected_version)
    changes_targets = response_due_at is not None or fix_due_at is not None
    if changes_targets and not access.may_set_targets(case, by):
        raise PermissionDenied(_("Only the case's vendor coordinator sets the vendor's targets."))
    if vendor_ticket is not None and not access.may_set_ticket(case, by):
        raise PermissionDenied(_("You may not change the vendor's ticket number."))
    if vendor_ticket is not None:
        record.vendor_ticket = vendor_ticket.strip()
    if response_due_at is not None:
        record.response_due_at = response_due_at
    if fix_due_at is not None:
        record.fix_due_at = fix_due_at
    if record.response_due_at and record.fix_due_at and record.fix_due_at < record.response_due_at:
        raise ValidationError({"fix_due_at": _("The fix cannot be due before the response.")})
    _save(record, by=by, now=now)
    with translation.override(settings.LANGUAGE_CODE):
        text = str(
            _(
                "Vendor ticket %(ticket)s; response due %(response)s; fix due %(fix)s (set by %(person)s)."
            )
        ) % {
            "ticket": record.vendor_ticket or "—",
            "response": _local(record.response_due_at),
            "fix": _local(record.fix_due_at),
            "person": by,
        }
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.VENDOR_COORDINATION,
        action=Change.TARGETS,
        actor=by,
        at=now,
        text=text,
        # The vendor works to these targets: it must read them.
        is_internal=False,
    )
    return record


@transaction.atomic
def add_entry(
    case: Case,
    *,
    by: User,
    kind: EntryKind,
    text: str,
    now: datetime,
    expected_version: int | None = None,
) -> VendorEntry:
    """A request to the vendor, the vendor's answer or fix, or an internal note."""
    case, record = _open_record(case, by=by, now=now, expected_version=expected_version)
    if kind not in access.entry_kinds_for(case, by):
        raise PermissionDenied(_("You may not write this on the vendor coordination record."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what was asked or answered.")})
    if kind in ANSWERS and record.first_answer_at is None:
        record.first_answer_at = now
    if kind == EntryKind.FIX and record.fixed_at is None:
        record.fixed_at = now
    _save(record, by=by, now=now)
    is_internal = kind == EntryKind.NOTE
    with translation.override(settings.LANGUAGE_CODE):
        heading = str(ENTRY_TEXTS[kind]) % {"vendor": record.vendor, "person": by}
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.VENDOR_COORDINATION,
        action=CHANGE_OF_ENTRY[kind],
        actor=by,
        at=now,
        text=f"{heading}\n{text}",
        is_internal=is_internal,
    )
    return VendorEntry.objects.create(
        record=record,
        kind=kind,
        author=by,
        at=now,
        text=text,
        is_internal=is_internal,
        case_event=event,
    )


def entries_visible_to(record: VendorCoordination, user: User):
    entries = record.entries.select_related("author")
    if not access.case_access.sees_internal(user):
        entries = entries.customer_safe()
    return entries
