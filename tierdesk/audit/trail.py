"""The change trail of people, roles, organization data, SLA targets and calendars.

django-simple-history keeps one historical row per save (who, when, the whole row); this module
turns consecutive rows into "field: old -> new" lines, the way a case's history reads.
"""

from dataclasses import dataclass, field
from datetime import datetime
from heapq import merge

from django.db import models
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import BusinessCalendar, CalendarDay, SlaTarget
from tierdesk.organization.models import Department, Product, Region, Role, User, Vendor

AUDITED_MODELS = [
    User,
    Region,
    Department,
    Vendor,
    Product,
    SlaTarget,
    BusinessCalendar,
    CalendarDay,
]
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    at: datetime
    actor: User | None
    subject_type: str
    subject: str
    subject_id: int
    action: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""


def model_key(model) -> str:
    return model._meta.label_lower


def model_choices() -> list[tuple[str, str]]:
    return [(model_key(model), model._meta.verbose_name) for model in AUDITED_MODELS]


def recent_changes(
    *,
    model_keys: list[str] | None = None,
    actor: User | None = None,
    since: datetime | None = None,
    before: datetime | None = None,
    limit: int = 50,
) -> list[Change]:
    """The newest changes first, at most `limit`, older than `before` when given."""
    streams = []
    for model in AUDITED_MODELS:
        if model_keys and model_key(model) not in model_keys:
            continue
        records = model.history.select_related("history_user").order_by("-history_date", "-pk")
        if actor is not None:
            records = records.filter(history_user=actor)
        if since is not None:
            records = records.filter(history_date__gte=since)
        if before is not None:
            records = records.filter(history_date__lt=before)
        # A save that changed nothing tracked (a sign-in touching last_login) is no change;
        # read a few extra so such rows do not leave the page short.
        streams.append(records[: limit * 2])
    changes = []
    for record in merge(*streams, key=lambda record: record.history_date, reverse=True):
        change = describe(record)
        if change is not None:
            changes.append(change)
            if len(changes) == limit:
                break
    return changes


def describe(record) -> Change | None:
    model = record.instance_type
    if record.history_type == "~":
        previous = record.prev_record
        if previous is None:
            field_changes = _fields_of(record)
        else:
            delta = record.diff_against(previous)
            field_changes = [
                _field_change(model, change.field, change.old, change.new)
                for change in delta.changes
            ]
        if not field_changes:
            return None
    elif record.history_type == "+":
        field_changes = _fields_of(record)
    else:
        field_changes = []
    return Change(
        at=record.history_date,
        actor=record.history_user,
        subject_type=model._meta.verbose_name,
        subject=str(record.instance),
        subject_id=getattr(record, model._meta.pk.attname),
        action=ACTIONS[record.history_type],
        changes=field_changes,
        reason=record.history_change_reason or "",
    )


def _fields_of(record) -> list[FieldChange]:
    """A new record's filled-in fields, shown as changes from nothing."""
    model = record.instance_type
    result = []
    for model_field in record.tracked_fields:
        if not model_field.editable or model_field.primary_key:
            continue
        value = getattr(record, model_field.attname)
        if value in (None, "", False):
            continue
        result.append(_field_change(model, model_field.name, None, value))
    for m2m_field in record._history_m2m_fields:
        rows = list(getattr(record, m2m_field.name).values())
        if rows:
            result.append(_field_change(model, m2m_field.name, [], rows))
    return result


def _field_change(model, name: str, old, new) -> FieldChange:
    model_field = model._meta.get_field(name)
    return FieldChange(
        label=str(model_field.verbose_name),
        old=_show(model_field, old),
        new=_show(model_field, new),
    )


def _show(model_field, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(model_field, models.ManyToManyField):
        # Simple-history gives the through rows as dicts: {"user": 3, "role": 2}.
        related = model_field.related_model
        key = model_field.m2m_reverse_field_name()
        ids = [row[key] for row in value]
        objects = related._default_manager.in_bulk(ids)
        if related is Role:
            return ", ".join(sorted(str(objects[pk]) for pk in ids if pk in objects))
        return ", ".join(str(objects.get(pk, f"#{pk}")) for pk in ids)
    if isinstance(model_field, models.ForeignKey):
        pk = getattr(value, "pk", value)
        instance = model_field.related_model._default_manager.filter(pk=pk).first()
        return str(instance) if instance is not None else f"#{pk}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(localize(value))
