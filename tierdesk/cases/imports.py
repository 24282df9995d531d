"""Cases brought over from a spreadsheet or another helpdesk, with the history they already had.

An imported case is a case like any other, but its past has already happened: its history rows
are written with bulk_create, which bypasses CaseEvent.save() and so puts nothing in the event
outbox. Nobody is mailed, no webhook fires and no follow-up is planned for a resolution that
took place months ago. A resolved or closed case gets no running SLA clock; an open one starts
its line's clock at the moment of the import, when this desk takes it over.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.cases import clocks
from tierdesk.cases.enums import LINE_OF_STATUS, EventKind, Status
from tierdesk.cases.models import Case, CaseEvent, CaseParticipation
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, Site, User

# The history entry of every imported case carries this action, so readers can tell it apart.
IMPORTED = "imported"

# The handling group that last held a case resolved at each line.
GROUP_OF_LINE = {1: Status.FIELD, 2: Status.LINE2, 3: Status.LINE2}


@dataclass(frozen=True)
class HistoricalCase:
    """One case as the old system knew it."""

    source: str
    reference: str
    title: str
    description: str
    customer: Customer
    site: Site
    product: Product
    priority: str
    status: str
    opened_at: datetime
    source_kind: str
    channel: str
    product_version: ProductVersion | None = None
    contact: Contact | None = None
    classification: str = ""
    resolution: str = ""
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    resolved_by: User | None = None
    resolved_line: int | None = None


@transaction.atomic
def import_historical_case(item: HistoricalCase, *, by: User, now: datetime) -> Case:
    """Record a case from another system with its opening, resolution and closing."""
    status = Status(item.status)
    finished = status in (Status.RESOLVED, Status.CLOSED)
    line = (item.resolved_line or 1) if finished else LINE_OF_STATUS[status]
    case = Case(
        title=item.title,
        description=item.description,
        customer=item.customer,
        contact=item.contact,
        site=item.site,
        region_id=item.site.region_id,
        product=item.product,
        product_version=item.product_version,
        source=item.source_kind,
        channel=item.channel,
        priority=item.priority,
        classification=item.classification,
        status=status,
        line=min(line, 3),
        owner=item.resolved_by,
        reporter=by,
        resolution=item.resolution,
        opened_at=item.opened_at,
        resolved_at=item.resolved_at if finished else None,
        closed_at=item.closed_at if status == Status.CLOSED else None,
        updated_at=now,
        updated_by=by,
    )
    if case.site.customer_id != case.customer_id:
        raise ValidationError({"site": _("This site belongs to another customer.")})
    if case.product_version and case.product_version.product_id != case.product_id:
        raise ValidationError({"product_version": _("This version belongs to another product.")})
    if case.contact and case.contact.customer_id != case.customer_id:
        raise ValidationError({"contact": _("This contact belongs to another customer.")})
    case.full_clean()
    case.save()
    group = GROUP_OF_LINE[case.line] if finished else status
    CaseParticipation.objects.create(case=case, group=group, first_reached_at=item.opened_at)
    if not finished:
        clocks.start(case, line=case.line, now=now)
        case.save(update_fields=clocks.CASE_FIELDS)
    CaseEvent.objects.bulk_create(_history(case, item, by=by, now=now))
    return case


def _history(case: Case, item: HistoricalCase, *, by: User, now: datetime) -> list[CaseEvent]:
    note = _("Imported from %(source)s with reference %(reference)s.") % {
        "source": item.source,
        "reference": item.reference,
    }
    events = [
        CaseEvent(
            case=case,
            kind=EventKind.CREATED,
            action=IMPORTED,
            actor=by,
            at=item.opened_at,
            to_status=case.status if case.is_open else "",
            to_line=case.line,
            text=f"{note}\n\n{item.description}",
        )
    ]
    if item.resolved_at and case.status in (Status.RESOLVED, Status.CLOSED):
        events.append(
            CaseEvent(
                case=case,
                kind=EventKind.TRANSITION,
                action=IMPORTED,
                actor=item.resolved_by,
                at=item.resolved_at,
                from_line=case.line,
                to_status=Status.RESOLVED,
                text=item.resolution,
            )
        )
    if item.closed_at and case.status == Status.CLOSED:
        events.append(
            CaseEvent(
                case=case,
                kind=EventKind.TRANSITION,
                action=IMPORTED,
                at=item.closed_at,
                from_status=Status.RESOLVED,
                to_status=Status.CLOSED,
                text=note,
            )
        )
    return events
