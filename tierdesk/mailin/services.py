"""What the desk does with a mail: open a case, add it to its case, park it in triage, or ignore it.

Every interface (the fetch job, the triage pages, the API) calls these functions; each handles one
mail in one transaction, so a mail is either fully recorded with its case changes or not at all.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tierdesk.cases import attachments, workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.cases.models import Case
from tierdesk.mailin import access, rules
from tierdesk.mailin.models import InboundMessage, Reason, State
from tierdesk.mailin.parsing import MailFile, ParsedMail, parse
from tierdesk.organization import permissions
from tierdesk.organization.models import User
from tierdesk.organization.services import service_account

logger = logging.getLogger(__name__)

SERVICE_ACCOUNT = "mailin"
# Mail carries no priority the desk can trust; triage or line 1 raise it when it is urgent.
DEFAULT_PRIORITY = Priority.P3


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    duplicate: bool  # the same Message-ID was recorded before: nothing changed


def mail_account() -> User:
    return service_account(SERVICE_ACCOUNT, name=_("Mail in"))


@transaction.atomic
def receive(raw: bytes, *, mailbox: str, now: datetime) -> Received:
    """Record one mail and act on it; receiving the same mail again changes nothing."""
    mail = parse(raw)
    earlier = InboundMessage.objects.filter(message_id=mail.message_id).first()
    if earlier is not None:
        return Received(earlier, duplicate=True)
    message = _record(mail, raw, mailbox=mailbox, now=now)
    ignored = rules.automatic_reason(mail)
    thread = None if ignored else rules.find_thread(mail)
    if ignored:
        reason, note = ignored
        message.state, message.reason, message.note = State.IGNORED, reason, note
    elif thread is not None and thread.case is not None:
        _add_to_case(message, mail, thread, now=now)
    elif thread is not None:
        # A reference to a case that does not exist: a person must look.
        message.state, message.reason, message.note = State.TRIAGE, thread.reason, thread.note
        _prefill(message, rules.find_case_fields(mail))
    else:
        _open_or_triage(message, mail, now=now)
    message.full_clean()
    message.save()
    return Received(message, duplicate=False)


def _record(mail: ParsedMail, raw: bytes, *, mailbox: str, now: datetime) -> InboundMessage:
    message = InboundMessage(
        message_id=mail.message_id,
        mailbox=mailbox[:255],
        from_address=mail.from_address[:254],
        from_name=mail.from_name,
        to=mail.to,
        subject=mail.subject,
        sent_at=mail.sent_at,
        received_at=now,
        in_reply_to=mail.in_reply_to,
        references=" ".join(mail.references),
        body=mail.body,
    )
    message.raw.save("message.eml", ContentFile(raw), save=False)
    return message


def _sender_line(mail: ParsedMail) -> str:
    sender = f"{mail.from_name} <{mail.from_address}>" if mail.from_name else mail.from_address
    return _("Mail from %(sender)s:") % {"sender": sender}


def _add_to_case(
    message: InboundMessage, mail: ParsedMail, thread: rules.Thread, *, now: datetime
) -> None:
    """A reply: a comment on its case by the sender, or by the mail account naming the sender."""
    case = thread.case
    user = rules.sender_user(mail.from_address)
    body = mail.body or mail.subject
    if rules.acts_as_self(user, case):
        # Staff replying to a notification talk among themselves unless they say otherwise.
        by, text, internal = user, body or _("(no text)"), True
    else:
        by = mail_account()
        text = f"{_sender_line(mail)}\n\n{body}".strip()
        # Only the case's own customer speaks on the customer-visible record; anyone else who
        # knows a case reference is heard internally.
        internal = not rules.is_customer_contact(mail.from_address, case)
    workflow.comment(case, by=by, text=text, internal=internal, now=now)
    _attach(case, mail.attachments, by=by, internal=internal, now=now)
    message.case = case
    message.state, message.reason, message.note = State.THREADED, thread.reason, thread.note
    message.sender_user = user


def _prefill(message: InboundMessage, findings: rules.Findings) -> None:
    message.sender_contact = findings.contact
    message.sender_user = findings.user
    message.customer = findings.customer
    message.site = findings.site
    message.product = findings.product


def _title(mail: ParsedMail) -> str:
    first_line = next((line for line in mail.body.splitlines() if line.strip()), "")
    return (mail.subject or first_line or _("Mail without subject"))[:200]


def _open_or_triage(message: InboundMessage, mail: ParsedMail, *, now: datetime) -> None:
    """A new mail opens a case when sender, customer, site and product are all clear."""
    findings = rules.find_case_fields(mail)
    _prefill(message, findings)
    missing = findings.missing
    if missing is not None:
        message.state, message.reason = State.TRIAGE, missing
        return
    from_customer = findings.contact is not None
    by = (
        findings.user
        if not from_customer and rules.may_open_cases(findings.user)
        else mail_account()
    )
    case = workflow.open_case(
        by=by,
        now=now,
        title=_title(mail),
        description=mail.body or mail.subject or _("(no text)"),
        customer=findings.customer,
        contact=findings.contact if from_customer else None,
        site=findings.site,
        product=findings.product,
        product_version=findings.product_version,
        source=Source.CUSTOMER,
        channel=Channel.EMAIL,
        priority=DEFAULT_PRIORITY,
    )
    _attach(case, mail.attachments, by=by, internal=not from_customer, now=now)
    message.case = case
    message.state, message.reason = State.CASE_OPENED, Reason.NEW_MAIL


def _attach(case: Case, files: list[MailFile], *, by: User, internal: bool, now: datetime) -> None:
    """Keep each file through the case's attachment rules; note the ones they refuse."""
    refused = []
    for file in files:
        upload = SimpleUploadedFile(file.name[:255], file.content)
        try:
            attachments.add_attachment(case, by=by, upload=upload, internal=internal, now=now)
        except ValidationError as error:
            refused.append(f"{file.name}: {' '.join(error.messages)}")
    if refused:
        # The raw mail is kept, so nothing is lost; the note says where to find the file.
        workflow.comment(
            case,
            by=mail_account(),
            text=_("Not attached from the mail (the original mail is kept in mail-in):")
            + "\n"
            + "\n".join(refused),
            internal=True,
            now=now,
        )


def _lock_for_triage(message: InboundMessage, by: User) -> InboundMessage:
    if not access.may_triage(by):
        raise PermissionDenied(_("You may not handle mail in triage."))
    # Lock the row: two people may convert or discard the same mail at once.
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.state != State.TRIAGE:
        raise ValidationError(_("This mail has already been handled."))
    return locked


@transaction.atomic
def convert_to_case(message: InboundMessage, *, by: User, now: datetime, **fields) -> Case:
    """Open a case from a mail in triage, as the person converting it, with the mail's files."""
    message = _lock_for_triage(message, by)
    site = fields["site"]
    outside_region = not permissions.sees_everything(by) and by.region_id != site.region_id
    if permissions.is_line1(by) and not permissions.is_line2(by) and outside_region:
        raise ValidationError({"site": _("This site is outside your region.")})
    from_customer = message.sender_contact is not None
    case = workflow.open_case(
        by=by, now=now, source=Source.CUSTOMER, channel=Channel.EMAIL, **fields
    )
    with message.raw.open("rb") as raw:
        mail = parse(raw.read())
    _attach(case, mail.attachments, by=by, internal=not from_customer, now=now)
    message.case = case
    message.state, message.reason = State.CASE_OPENED, Reason.CONVERTED
    message.handled_by, message.handled_at = by, now
    message.save(update_fields=["case", "state", "reason", "handled_by", "handled_at"])
    return case


@transaction.atomic
def discard(message: InboundMessage, *, by: User, reason: str, now: datetime) -> InboundMessage:
    """Drop a mail from triage (spam, a duplicate by phone), saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the mail is discarded.")})
    message = _lock_for_triage(message, by)
    message.state, message.reason, message.note = State.DISCARDED, Reason.DISCARDED, reason
    message.handled_by, message.handled_at = by, now
    message.save(update_fields=["state", "reason", "note", "handled_by", "handled_at"])
    return message
