"""Mail triage: mail whose case could not be determined, opened as a case or discarded."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from tierdesk.api.cases import current_user
from tierdesk.api.errors import READ_ERRORS, WRITE_ERRORS, Problem, rename_fields
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.cases.enums import Priority
from tierdesk.mailin import access, services
from tierdesk.mailin.models import InboundMessage
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, Site

router = Router(tags=["mail"])

PriorityCode = Literal[tuple(Priority.values)]


class MailOut(Schema):
    id: int
    message_id: str
    from_address: str
    from_name: str
    to: str
    subject: str
    sent_at: datetime | None
    received_at: datetime
    body: str = Field(description="Plain text; HTML mail is reduced to its text.")
    state: str
    reason: str
    reason_text: str
    note: str
    customer_id: int | None = Field(description="Customer recognised from the sender.")
    site_id: int | None
    product_id: int | None
    contact_id: int | None = Field(description="The sender, if a customer contact.")
    case_id: int | None
    case_reference: str | None
    handled_by: str | None
    handled_at: datetime | None

    @staticmethod
    def resolve_reason_text(mail: InboundMessage) -> str:
        return str(mail.get_reason_display())

    @staticmethod
    def resolve_contact_id(mail: InboundMessage) -> int | None:
        return mail.sender_contact_id

    @staticmethod
    def resolve_case_reference(mail: InboundMessage) -> str | None:
        return mail.case.reference if mail.case_id else None

    @staticmethod
    def resolve_handled_by(mail: InboundMessage) -> str | None:
        return mail.handled_by.username if mail.handled_by_id else None


class ConvertIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1)
    customer_id: int
    site_id: int
    contact_id: int | None = None
    product_id: int
    product_version_id: int | None = None
    priority: PriorityCode


class DiscardIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


def _mail(pk: int) -> InboundMessage:
    return InboundMessage.objects.select_related("case", "handled_by").get(pk=pk)


@router.get(
    "/triage",
    response={200: page_of(MailOut), 400: Problem, 401: Problem, 403: Problem, 422: Problem},
)
def list_triage(request: HttpRequest, page: Query[PageParams]) -> dict:
    """Mail waiting in triage, newest first (regional support, line 2 and oversight)."""
    mails = access.triage_messages_for(current_user(request)).select_related("case", "handled_by")
    return paginate(mails, page)


@router.get("/triage/{int:mail_id}", response={200: MailOut, 403: Problem, **READ_ERRORS})
def get_mail(request: HttpRequest, mail_id: int):
    return access.access_message(current_user(request), mail_id)


@router.post("/triage/{int:mail_id}/convert", response={201: MailOut, **WRITE_ERRORS})
def convert_mail(request: HttpRequest, mail_id: int, payload: ConvertIn):
    """Open a case from the mail, as the caller; the mail's attachments go with it."""
    user = current_user(request)
    mail = access.access_message(user, mail_id)
    lookups = {
        "customer": (Customer.objects.all(), payload.customer_id),
        "site": (Site.objects.select_related("region"), payload.site_id),
        "contact": (Contact.objects.all(), payload.contact_id),
        "product": (Product.objects.filter(is_active=True), payload.product_id),
        "product_version": (ProductVersion.objects.all(), payload.product_version_id),
    }
    fields, missing = {}, {}
    for name, (queryset, pk) in lookups.items():
        fields[name] = None if pk is None else queryset.filter(pk=pk).first()
        if pk is not None and fields[name] is None:
            missing[f"{name}_id"] = _("There is no such record.")
    if missing:
        raise ValidationError(missing)
    try:
        services.convert_to_case(
            mail,
            by=user,
            now=timezone.now(),
            title=payload.title,
            description=payload.description,
            priority=payload.priority,
            **fields,
        )
    except ValidationError as error:
        raise rename_fields(error, {name: f"{name}_id" for name in lookups}) from None
    return 201, _mail(mail.pk)


@router.post("/triage/{int:mail_id}/discard", response={200: MailOut, **WRITE_ERRORS})
def discard_mail(request: HttpRequest, mail_id: int, payload: DiscardIn):
    """Drop the mail from triage, saying why."""
    user = current_user(request)
    mail = access.access_message(user, mail_id)
    services.discard(mail, by=user, reason=payload.reason, now=timezone.now())
    return _mail(mail.pk)
