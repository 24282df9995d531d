"""Mail-in fixtures: a customer with one site and a known contact, an own product, and a helper
that builds real RFC 5322 mail with the stdlib, in any charset, with attachments."""

from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from tests.cases.conftest import FIXED
from tests.factories import ContactFactory, CustomerFactory, ProductFactory, SiteFactory
from tests.mailin import dovecot as dovecot_server
from tierdesk.cases import workflow
from tierdesk.cases.enums import Channel, Priority, Source
from tierdesk.organization.models import ProductCategory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _support_address(settings):
    settings.MAILIN_ADDRESS = "support@tierdesk.example"
    settings.DEFAULT_FROM_EMAIL = "tierdesk <support@tierdesk.example>"


@pytest.fixture
def customer(db):
    return CustomerFactory(name="中国移动江苏公司")


@pytest.fixture
def east_site(customer, east):
    return SiteFactory(customer=customer, name="南京一号机房", region=east)


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="周工", email="zhou@cmcc-js.example")


@pytest.fixture
def own_product(db):
    return ProductFactory(code="FSU-3000", name="FSU-3000", category=ProductCategory.OWN)


@pytest.fixture
def open_case(customer, east_site, own_product):
    """open_case(by): a case opened by phone at the east site, to reply to."""

    def _open(by):
        return workflow.open_case(
            by=by,
            now=FIXED,
            title="FSU 离线",
            description="The FSU stopped reporting.",
            customer=customer,
            site=east_site,
            product=own_product,
            source=Source.CUSTOMER,
            channel=Channel.PHONE,
            priority=Priority.P3,
        )

    return _open


def build_mail(
    *,
    sender="周工 <zhou@cmcc-js.example>",
    subject="FSU-3000 离线",
    body="南京一号机房的 FSU-3000 从昨晚开始离线。",
    message_id="<m1@cmcc-js.example>",
    charset="utf-8",
    headers=None,
    attachments=(),
    html=None,
) -> bytes:
    """A mail as a customer's mailer would send it: encoded headers and body in `charset`."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "support@tierdesk.example"
    mail["Subject"] = subject
    mail["Date"] = format_datetime(FIXED)
    if message_id:
        mail["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body, charset=charset)
    if html is not None:
        mail.add_alternative(html, subtype="html", charset=charset)
    for name, content, maintype, subtype in attachments:
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return bytes(mail)


@pytest.fixture
def dovecot(tmp_path):
    """A real Dovecot IMAP server on loopback with one empty mailbox (see tests/mailin/dovecot.py)."""
    yield from dovecot_server.start(tmp_path / "dovecot")
