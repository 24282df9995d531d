"""Sending: through a real SMTP server, in the recipient's language, retried, never lost."""

from datetime import timedelta

from tests.notifications.conftest import FIXED, planned
from tierdesk.cases import sla_scan, workflow
from tierdesk.cases.enums import Action, Classification
from tierdesk.notifications import delivery
from tierdesk.notifications.enums import DeliveryState
from tierdesk.notifications.enums import NotificationKind as Kind
from tierdesk.notifications.models import Notification


def escalate_from_the_field(case, field_engineer):
    return workflow.perform(
        case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过电源，仍离线"
    )


def test_mail_arrives_once_over_smtp_with_reference_link_and_threadable_message_id(
    smtp_inbox, open_case, field_engineer, regional_support
):
    case = open_case(field_engineer)
    escalate_from_the_field(case, field_engineer)
    planned()
    notification = Notification.objects.get(recipient=regional_support)

    assert delivery.deliver_due(now=FIXED) == {"sent": 1, "retrying": 0, "failed": 0}
    assert delivery.deliver_due(now=FIXED + timedelta(hours=1))["sent"] == 0

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert smtp_inbox.recipients[0] == ["bob@example.com"]
    assert message["Subject"].startswith(f"[{case.reference}] ")
    assert message["From"] == "tierdesk <support@tierdesk.localhost>"
    assert message["Message-ID"] == (
        f"<tierdesk.case{case.pk}.n{notification.pk}@tierdesk.localhost>"
    )
    assert message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"http://127.0.0.1:8000/cases/{case.pk}/" in text
    assert f'href="http://127.0.0.1:8000/cases/{case.pk}/"' in html
    assert "查过电源，仍离线" in text
    notification.refresh_from_db()
    assert notification.state == DeliveryState.SENT
    assert notification.sent_at == FIXED
    assert notification.attempts == 1


def test_mail_is_written_in_each_recipients_language(
    open_case, field_engineer, supervisor, mailoutbox
):
    field_engineer.language = "en"
    field_engineer.save()
    case = open_case(field_engineer)
    sla_scan.scan(now=FIXED.replace(year=2027))
    planned()

    delivery.deliver_due(now=FIXED)

    breach = {
        message.to[0]: message
        for message in mailoutbox
        if message.extra_headers["Message-ID"]
        in {
            f"<tierdesk.case{case.pk}.n{n.pk}@tierdesk.localhost>"
            for n in Notification.objects.filter(kind=Kind.SLA_BREACH)
        }
    }
    assert set(breach) == {"alice@example.com", "sam@example.com"}
    assert breach["alice@example.com"].subject == f"[{case.reference}] SLA breached · FSU 离线"
    assert breach["sam@example.com"].subject == f"[{case.reference}] SLA 超时 · FSU 离线"
    assert "Status: Line 1: field engineer" in breach["alice@example.com"].body
    assert "状态: 一线：区域售后工程师" in breach["sam@example.com"].body


def test_failing_smtp_is_retried_with_growing_delays_then_marked_failed(
    dead_smtp, settings, open_case, field_engineer, regional_support
):
    settings.TIERDESK_MAIL_MAX_ATTEMPTS = 3
    settings.TIERDESK_MAIL_RETRY_SECONDS = 60
    escalate_from_the_field(open_case(field_engineer), field_engineer)
    planned()
    notification = Notification.objects.get()

    assert delivery.deliver_due(now=FIXED)["retrying"] == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.PENDING
    assert notification.attempts == 1
    assert notification.next_attempt_at == FIXED + timedelta(seconds=60)
    assert "ConnectionRefusedError" in notification.last_error

    assert delivery.deliver_due(now=FIXED + timedelta(seconds=59))["retrying"] == 0
    assert delivery.deliver_due(now=FIXED + timedelta(seconds=60))["retrying"] == 1
    notification.refresh_from_db()
    assert notification.next_attempt_at == FIXED + timedelta(seconds=60 + 120)

    assert delivery.deliver_due(now=FIXED + timedelta(seconds=180))["failed"] == 1
    notification.refresh_from_db()
    assert notification.state == DeliveryState.FAILED
    assert notification.attempts == 3
    assert "ConnectionRefusedError" in notification.last_error
    assert delivery.deliver_due(now=FIXED + timedelta(days=1)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
    }


def test_mail_claimed_by_a_worker_that_died_is_sent_after_the_lease(
    open_case, field_engineer, regional_support, mailoutbox
):
    escalate_from_the_field(open_case(field_engineer), field_engineer)
    planned()

    delivery.claim_due(now=FIXED, batch=10)  # ...and the worker is killed before sending

    assert delivery.deliver_due(now=FIXED + timedelta(minutes=1))["sent"] == 0
    assert delivery.deliver_due(now=FIXED + delivery.LEASE)["sent"] == 1
    assert [message.to for message in mailoutbox] == [["bob@example.com"]]


def test_mail_to_someone_who_left_fails_without_retrying(
    open_case, field_engineer, regional_support, mailoutbox
):
    escalate_from_the_field(open_case(field_engineer), field_engineer)
    planned()
    regional_support.is_active = False
    regional_support.save()

    assert delivery.deliver_due(now=FIXED)["failed"] == 1
    assert mailoutbox == []
    assert Notification.objects.get().state == DeliveryState.FAILED


def test_vendor_contact_mail_leaves_out_internal_findings(
    open_case,
    field_engineer,
    regional_support,
    line2_engineer,
    service_manager,
    video_product,
    video_vendor,
    presales_engineer,
    vendor_contact,
    mailoutbox,
):
    case = open_case(field_engineer, product=video_product)
    workflow.perform(case, action=Action.ESCALATE, by=field_engineer, now=FIXED, text="查过")
    workflow.assign(case, by=regional_support, to=regional_support, now=FIXED)
    workflow.perform(case, action=Action.ESCALATE, by=regional_support, now=FIXED, text="仍离线")
    workflow.assign(case, by=service_manager, to=line2_engineer, now=FIXED)
    workflow.perform(
        case,
        action=Action.TRANSFER_VENDOR,
        by=line2_engineer,
        now=FIXED,
        text="内部判断：厂家固件缺陷",
        classification=Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=presales_engineer,
    )
    planned()
    mailoutbox.clear()
    Notification.objects.exclude(kind=Kind.ESCALATED, event__action=Action.TRANSFER_VENDOR).update(
        state=DeliveryState.SENT
    )

    delivery.deliver_due(now=FIXED)

    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert set(bodies) == {"victor@example.com", "erin@example.com"}
    assert "内部判断" not in bodies["victor@example.com"]
    assert "内部判断" in bodies["erin@example.com"]
