"""The rules that read a mail: is it automatic, which case does it answer, who sent it, what about.

1. Ignored: our own notification Message-ID, our own From address, X-Loop naming our address,
   Auto-Submitted other than "no", X-Autoreply/X-Autorespond, Precedence bulk/junk/list, and
   delivery reports (multipart/report).
2. A reply: In-Reply-To, then References newest first, naming one of our notification mails
   (the case id is in it) or an earlier mail recorded on a case; else `[TD0000123]` in the
   subject. It becomes a comment: a person who may see the case speaks as themself (internal);
   anyone else through the mail-in account, named in the text, customer-visible only when the
   sender is a contact of the case's customer.
3. A new mail opens a case when all of these are unambiguous, else it waits in triage with
   what was found:
   - customer: the one customer whose contact has the sender's address; for a user, the one
     customer with sites in their region;
   - site: the customer's only site (for a user, in their region), or the one named in the
     subject or text;
   - product: the one active product whose name or code appears in the subject or text
     (its version too, if named).
   Priority starts at P3: mail carries none the desk can trust.

Each function looks and decides; nothing here writes. `services.receive` acts on the answers.
"""

import email.utils
import re
from dataclasses import dataclass

from django.conf import settings

from tierdesk.cases.access import cases_visible_to
from tierdesk.cases.models import Case
from tierdesk.mailin.models import InboundMessage, Reason
from tierdesk.mailin.parsing import ParsedMail
from tierdesk.organization import permissions
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, Site, User

# The notification mails tierdesk sends: <tierdesk.case{case_id}.n{notification_id}@{domain}>.
NOTIFICATION_ID = re.compile(r"^<tierdesk\.case(\d+)\.n\d+@[^>]+>$", re.IGNORECASE)
SUBJECT_REFERENCE = re.compile(r"\[TD(\d{7,})\]", re.IGNORECASE)
BULK_PRECEDENCE = {"bulk", "junk", "list"}


def own_addresses() -> set[str]:
    addresses = {
        settings.MAILIN_ADDRESS,
        settings.DEFAULT_FROM_EMAIL,
        settings.SERVER_EMAIL,
        # The notifications' sender, when that package is installed.
        getattr(settings, "TIERDESK_MAIL_FROM", ""),
    }
    return {email.utils.parseaddr(a)[1].lower() for a in addresses if a} - {""}


def automatic_reason(mail: ParsedMail) -> tuple[Reason, str] | None:
    """Why this mail must be ignored (an auto-reply, a list, a loop), with the deciding header."""
    ours = own_addresses()
    if NOTIFICATION_ID.match(mail.message_id):
        return Reason.OWN_MESSAGE, mail.message_id
    if mail.from_address in ours:
        return Reason.OWN_ADDRESS, mail.from_address
    loop = mail.header("X-Loop").lower()
    if loop and any(address in loop for address in ours):
        return Reason.LOOP, f"X-Loop: {loop}"
    auto_submitted = mail.header("Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return Reason.AUTO_SUBMITTED, f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if mail.header(name):
            return Reason.AUTO_REPLY, f"{name}: {mail.header(name)}"
    precedence = mail.header("Precedence").lower()
    if precedence in BULK_PRECEDENCE:
        return Reason.BULK, f"Precedence: {precedence}"
    if mail.headers.get_content_type() == "multipart/report":
        return Reason.BOUNCE, mail.headers.get_content_type()
    return None


@dataclass(frozen=True)
class Thread:
    """The case a mail answers, how it was found, or the reference that led nowhere."""

    case: Case | None
    reason: Reason
    note: str


def find_thread(mail: ParsedMail) -> Thread | None:
    """Headers first (they survive a changed subject), then the reference in the subject."""
    # Newest first: In-Reply-To, then References from the end.
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i]
    for message_id in ids:
        match = NOTIFICATION_ID.match(message_id)
        if match:
            case = Case.objects.filter(pk=int(match.group(1))).first()
            if case is not None:
                return Thread(case, Reason.REPLY_NOTIFICATION, message_id)
    earlier = {
        m.message_id: m.case
        for m in InboundMessage.objects.filter(message_id__in=ids, case__isnull=False)
        .select_related("case")
        .only("message_id", "case")
    }
    for message_id in ids:
        if message_id in earlier:
            return Thread(earlier[message_id], Reason.REPLY_HEADER, message_id)
    match = SUBJECT_REFERENCE.search(mail.subject)
    if match:
        reference = f"TD{int(match.group(1)):07d}"
        case = Case.objects.filter(pk=int(match.group(1))).first()
        if case is None:
            return Thread(None, Reason.UNKNOWN_CASE, reference)
        return Thread(case, Reason.SUBJECT_REFERENCE, reference)
    return None


def sender_user(address: str) -> User | None:
    """The one active person with this address (service accounts never send mail)."""
    if not address:
        return None  # people without an address must not match a mail without a sender
    users = list(
        User.objects.filter(email__iexact=address, is_active=True, is_service_account=False)[:2]
    )
    return users[0] if len(users) == 1 else None


def sender_contacts(address: str) -> list[Contact]:
    if not address:
        return []
    return list(Contact.objects.filter(email__iexact=address).select_related("customer"))


@dataclass
class Findings:
    """What a new mail tells about the case it should open; None where it is not clear."""

    contact: Contact | None = None
    user: User | None = None
    customer: Customer | None = None
    site: Site | None = None
    product: Product | None = None
    product_version: ProductVersion | None = None

    @property
    def missing(self) -> Reason | None:
        if self.contact is None and self.user is None:
            return Reason.UNKNOWN_SENDER
        if self.customer is None:
            return Reason.NO_CUSTOMER
        if self.site is None:
            return Reason.NO_SITE
        if self.product is None:
            return Reason.NO_PRODUCT
        return None


def _mentioned(text: str, names: dict) -> list:
    """The records whose name appears in the text (case-insensitive), each once."""
    lowered = text.lower()
    found = []
    for name, record in names.items():
        if name and name.lower() in lowered and record not in found:
            found.append(record)
    return found


def _only(records: list):
    return records[0] if len(records) == 1 else None


def find_customer(mail: ParsedMail, findings: Findings) -> None:
    """A contact's customer; for a user, the one customer with sites in their region."""
    contacts = sender_contacts(mail.from_address)
    customers = {contact.customer_id: contact.customer for contact in contacts}
    if contacts:
        findings.contact = contacts[0]
        if len(customers) == 1:
            findings.customer = contacts[0].customer
            return
    findings.user = sender_user(mail.from_address)
    if findings.user is None or findings.user.region_id is None:
        return
    region_customers = Customer.objects.filter(sites__region_id=findings.user.region_id).distinct()
    if customers:
        region_customers = region_customers.filter(pk__in=customers)
    findings.customer = _only(list(region_customers[:2]))


def find_site(text: str, findings: Findings) -> None:
    """The customer's only site, or the one whose name the mail mentions."""
    sites = Site.objects.filter(customer=findings.customer).select_related("region")
    if findings.contact is None and findings.user is not None:
        sites = sites.filter(region_id=findings.user.region_id)
    sites = list(sites)
    findings.site = _only(sites) or _only(_mentioned(text, {s.name: s for s in sites}))


def find_product(text: str, findings: Findings) -> None:
    """The one active product named (by name or code) in the mail, and its version if named."""
    products = Product.objects.filter(is_active=True)
    names = {p.name: p for p in products} | {p.code: p for p in products}
    findings.product = _only(_mentioned(text, names))
    if findings.product is not None:
        versions = {v.version: v for v in findings.product.versions.all()}
        findings.product_version = _only(_mentioned(text, versions))


def find_case_fields(mail: ParsedMail) -> Findings:
    findings = Findings()
    find_customer(mail, findings)
    if findings.customer is None:
        return findings
    text = f"{mail.subject}\n{mail.body}"
    find_site(text, findings)
    find_product(text, findings)
    return findings


def acts_as_self(user: User | None, case: Case) -> bool:
    """A known person replies under their own name only on a case they may see."""
    return user is not None and cases_visible_to(user).filter(pk=case.pk).exists()


def may_open_cases(user: User | None) -> bool:
    return user is not None and (permissions.is_line1(user) or permissions.is_line2(user))


def is_customer_contact(address: str, case: Case) -> bool:
    """Whether the sender is a contact of the case's customer: their word is customer-visible."""
    return (
        bool(address)
        and Contact.objects.filter(email__iexact=address, customer_id=case.customer_id).exists()
    )
