"""The rules for one received mail: open, thread, triage or ignore, exactly once."""

import base64

import pytest

from tests.cases.conftest import FIXED, at
from tests.factories import ContactFactory, CustomerFactory, ProductFactory, SiteFactory
from tests.mailin.conftest import PNG, build_mail
from tierdesk.cases.enums import Channel, EventKind, Source
from tierdesk.cases.models import Case
from tierdesk.mailin.models import InboundMessage, Reason, State
from tierdesk.mailin.services import receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(contact, east_site, own_product):
    """A known customer contact, the customer's only site and a product named in the mail."""


def test_mail_from_customer_contact_opens_case_on_its_only_site(setup, contact, east_site):
    received = receive(build_mail(), mailbox="test", now=FIXED)

    message = received.message
    assert message.state == State.CASE_OPENED
    case = message.case
    assert case.customer == contact.customer
    assert case.contact == contact
    assert case.site == east_site
    assert case.product.code == "FSU-3000"
    assert case.title == "FSU-3000 离线"
    assert case.description == "南京一号机房的 FSU-3000 从昨晚开始离线。"
    assert (case.source, case.channel) == (Source.CUSTOMER, Channel.EMAIL)
    assert case.reporter.is_service_account


def test_same_message_received_twice_makes_one_case(setup):
    first = receive(build_mail(), mailbox="test", now=FIXED)
    second = receive(build_mail(), mailbox="other", now=at(minutes=5))

    assert second.duplicate
    assert second.message == first.message
    assert Case.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_reply_threads_by_in_reply_to_header_as_customer_visible_comment(setup):
    opened = receive(build_mail(), mailbox="test", now=FIXED).message.case
    reply = build_mail(
        subject="Re: 还是离线",
        body="重启以后还是离线。",
        message_id="<m2@cmcc-js.example>",
        headers={"In-Reply-To": "<m1@cmcc-js.example>"},
    )

    message = receive(reply, mailbox="test", now=at(hours=1)).message

    assert (message.state, message.reason, message.case) == (
        State.THREADED,
        Reason.REPLY_HEADER,
        opened,
    )
    comment = opened.events.get(kind=EventKind.COMMENT)
    assert "周工 <zhou@cmcc-js.example>" in comment.text
    assert "重启以后还是离线。" in comment.text
    assert comment.is_internal is False
    assert Case.objects.count() == 1


def test_reply_threads_by_references_header(setup):
    opened = receive(build_mail(), mailbox="test", now=FIXED).message.case
    reply = build_mail(
        subject="另外一个问题",
        message_id="<m3@cmcc-js.example>",
        headers={"References": "<m1@cmcc-js.example> <unknown@elsewhere.example>"},
    )

    assert receive(reply, mailbox="test", now=at(hours=1)).message.case == opened


def test_reply_to_our_notification_threads_by_its_message_id(setup, open_case, field_engineer):
    case = open_case(field_engineer)
    reply = build_mail(
        subject="Re: 通知",
        body="已收到，谢谢。",
        message_id="<r1@cmcc-js.example>",
        headers={"In-Reply-To": f"<tierdesk.case{case.pk}.n42@tierdesk.example>"},
    )

    message = receive(reply, mailbox="test", now=at(hours=1)).message

    assert (message.state, message.reason, message.case) == (
        State.THREADED,
        Reason.REPLY_NOTIFICATION,
        case,
    )
    assert case.events.filter(kind=EventKind.COMMENT, text__contains="已收到").exists()


def test_reply_threads_by_case_reference_in_subject(setup, open_case, field_engineer):
    case = open_case(field_engineer)
    reply = build_mail(
        subject=f"回复：[{case.reference}] FSU 离线",
        body="补充一下现场照片。",
        message_id="<r2@cmcc-js.example>",
        attachments=[("现场.png", PNG, "image", "png")],
    )

    message = receive(reply, mailbox="test", now=at(hours=1)).message

    assert (message.state, message.reason) == (State.THREADED, Reason.SUBJECT_REFERENCE)
    attachment = case.attachments.get()
    assert attachment.original_name == "现场.png"
    assert attachment.content_type == "image/png"
    assert attachment.is_internal is False


def test_known_user_reply_is_their_own_comment(setup, open_case, field_engineer):
    case = open_case(field_engineer)
    reply = build_mail(
        sender=f"王丽 <{field_engineer.email}>",
        subject=f"Re: [{case.reference}]",
        body="今天下午去现场。",
        message_id="<r3@example.com>",
    )

    receive(reply, mailbox="test", now=at(hours=1))

    comment = case.events.get(kind=EventKind.COMMENT)
    assert comment.actor == field_engineer
    assert comment.text == "今天下午去现场。"


def test_stranger_with_case_reference_is_heard_internally(setup, open_case, field_engineer):
    case = open_case(field_engineer)
    reply = build_mail(
        sender="someone@elsewhere.example",
        subject=f"[{case.reference}] hello",
        message_id="<r4@elsewhere.example>",
    )

    receive(reply, mailbox="test", now=at(hours=1))

    comment = case.events.get(kind=EventKind.COMMENT)
    assert comment.actor.is_service_account
    assert comment.is_internal is True


@pytest.mark.parametrize(
    ("header", "value", "reason"),
    [
        ("Auto-Submitted", "auto-replied", Reason.AUTO_SUBMITTED),
        ("X-Autoreply", "yes", Reason.AUTO_REPLY),
        ("Precedence", "bulk", Reason.BULK),
        ("X-Loop", "support@tierdesk.example", Reason.LOOP),
    ],
)
def test_automatic_mail_is_ignored(setup, header, value, reason):
    mail = build_mail(subject="自动回复：FSU-3000 离线", headers={header: value})

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.IGNORED, reason)
    assert value in message.note
    assert Case.objects.count() == 0


def test_auto_submitted_no_is_ordinary_mail(setup):
    mail = build_mail(headers={"Auto-Submitted": "no"})

    assert receive(mail, mailbox="test", now=FIXED).message.state == State.CASE_OPENED


def test_mail_from_our_own_address_is_a_loop(setup):
    mail = build_mail(sender="tierdesk <support@tierdesk.example>")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.IGNORED, Reason.OWN_ADDRESS)


def test_our_own_notification_coming_back_is_ignored(setup, open_case, field_engineer):
    case = open_case(field_engineer)
    mail = build_mail(message_id=f"<tierdesk.case{case.pk}.n7@tierdesk.example>")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.IGNORED, Reason.OWN_MESSAGE)
    assert not case.events.filter(kind=EventKind.COMMENT).exists()


def test_unknown_sender_lands_in_triage(setup):
    mail = build_mail(sender="new-customer@unknown.example")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.UNKNOWN_SENDER)
    assert message.case is None
    assert Case.objects.count() == 0


def test_customer_with_two_sites_goes_to_triage_prefilled(setup, contact, east_site, north):
    SiteFactory(customer=contact.customer, name="北京二号机房", region=north)
    mail = build_mail(body="设备离线，FSU-3000。")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.NO_SITE)
    assert message.sender_contact == contact
    assert message.customer == contact.customer
    assert message.product.code == "FSU-3000"


def test_site_named_in_the_mail_decides_between_sites(setup, contact, east_site, north):
    SiteFactory(customer=contact.customer, name="北京二号机房", region=north)

    message = receive(build_mail(), mailbox="test", now=FIXED).message

    assert message.case.site == east_site


def test_mail_naming_no_product_goes_to_triage(setup):
    mail = build_mail(subject="设备故障", body="机房设备有告警。")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.NO_PRODUCT)


def test_mail_naming_two_products_goes_to_triage(setup):
    ProductFactory(code="NVR-8800", name="NVR-8800")
    mail = build_mail(body="FSU-3000 和 NVR-8800 都离线了。")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.NO_PRODUCT)


def test_contact_of_two_customers_goes_to_triage(setup, contact):
    ContactFactory(customer=CustomerFactory(), email=contact.email)

    message = receive(build_mail(), mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.NO_CUSTOMER)


def test_line1_user_mail_opens_case_as_themself_in_their_region(setup, regional_support):
    mail = build_mail(sender=f"李博 <{regional_support.email}>", message_id="<u1@example.com>")

    case = receive(mail, mailbox="test", now=FIXED).message.case

    assert case.reporter == regional_support
    assert case.contact is None
    assert case.region == regional_support.region


def test_unknown_case_reference_goes_to_triage(setup):
    mail = build_mail(subject="Re: [TD9999999] 离线")

    message = receive(mail, mailbox="test", now=FIXED).message

    assert (message.state, message.reason, message.note) == (
        State.TRIAGE,
        Reason.UNKNOWN_CASE,
        "TD9999999",
    )


def _encoded_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


def test_gbk_encoded_chinese_subject_and_body_are_decoded(setup):
    # Labelled GB2312 but using 镕, a GBK-only character, as Chinese mailers often do.
    subject = "FSU-3000 告警：朱镕基路机房"
    body = "南京一号机房：FSU-3000 掉线，请尽快处理。镕"
    raw = (
        "From: =?GB2312?B?{name}?= <zhou@cmcc-js.example>\r\n"
        "To: support@tierdesk.example\r\n"
        "Subject: {subject}\r\n"
        "Message-ID: <gbk1@cmcc-js.example>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=GB2312\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
        "{body}\r\n"
    ).format(
        name=base64.b64encode("周工".encode("gb2312")).decode(),
        subject=_encoded_word(subject, "gbk").replace("gbk", "GB2312"),
        body=base64.b64encode(body.encode("gbk")).decode(),
    )

    message = receive(raw.encode("ascii"), mailbox="test", now=FIXED).message

    assert message.subject == subject
    assert message.from_name == "周工"
    assert message.body == body
    assert message.case.title == subject


def test_raw_8bit_gbk_header_and_gb18030_body_are_decoded(setup):
    raw = (
        b"From: zhou@cmcc-js.example\r\n"
        b"Subject: " + "FSU-3000 离线".encode("gbk") + b"\r\n"
        b"Message-ID: <gbk2@cmcc-js.example>\r\n"
        b"Content-Type: text/plain; charset=gb18030\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "南京一号机房离线。".encode("gb18030")
    )

    message = receive(raw, mailbox="test", now=FIXED).message

    assert message.subject == "FSU-3000 离线"
    assert message.body == "南京一号机房离线。"


def test_utf8_html_only_mail_is_kept_as_text_without_markup(setup):
    raw = (
        "From: zhou@cmcc-js.example\r\n"
        "Subject: FSU-3000 离线\r\n"
        "Message-ID: <html1@cmcc-js.example>\r\n"
        "Content-Type: text/html; charset=utf-8\r\n\r\n"
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head>"
        "<body><p>南京一号机房</p><p>FSU-3000 &amp; 电源告警</p></body></html>"
    ).encode()

    message = receive(raw, mailbox="test", now=FIXED).message

    assert message.body == "南京一号机房\n\nFSU-3000 & 电源告警"


def test_attachments_are_kept_with_sniffed_type_and_refused_ones_noted(setup):
    mail = build_mail(
        attachments=[
            ("log.txt", "告警日志\n".encode(), "text", "plain"),
            ("photo.jpg", PNG, "image", "jpeg"),  # named JPEG, is a PNG
            ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00", "application", "octet-stream"),
        ]
    )

    case = receive(mail, mailbox="test", now=FIXED).message.case

    kept = {a.original_name: a.content_type for a in case.attachments.all()}
    assert kept == {"log.txt": "text/plain", "photo.jpg": "image/png"}
    note = case.events.get(kind=EventKind.COMMENT)
    assert "tool.exe" in note.text
    assert note.is_internal


def test_raw_message_is_stored_under_a_random_name(setup):
    raw = build_mail()

    message = receive(raw, mailbox="test", now=FIXED).message

    assert message.raw.name.endswith(".eml")
    assert "m1" not in message.raw.name
    with message.raw.open("rb") as stored:
        assert stored.read() == raw


def test_mail_without_message_id_is_still_received_once(setup):
    raw = build_mail(message_id=None)

    first = receive(raw, mailbox="test", now=FIXED)
    second = receive(raw, mailbox="test", now=FIXED)

    assert second.duplicate and second.message == first.message


def test_mail_without_sender_never_matches_contacts_without_address(setup, customer):
    ContactFactory(customer=customer, email="")
    raw = build_mail(sender="", message_id="<nosender@example.com>")

    message = receive(raw, mailbox="test", now=FIXED).message

    assert (message.state, message.reason) == (State.TRIAGE, Reason.UNKNOWN_SENDER)
    assert message.sender_contact is None
