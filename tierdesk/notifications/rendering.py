"""A notification as a mail, written in its recipient's language at the moment it is sent."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tierdesk.cases import access
from tierdesk.cases.enums import Status
from tierdesk.notifications.enums import NotificationKind
from tierdesk.notifications.models import Notification

HEADLINES = {
    NotificationKind.ASSIGNED: _("Assigned to you"),
    NotificationKind.ESCALATED: _("Handed to %(group)s"),
    NotificationKind.HANDED_BACK: _("Handed back to line 2"),
    NotificationKind.RESOLVED: _("Resolved"),
    NotificationKind.REOPENED: _("Reopened"),
    NotificationKind.SLA_WARNING: _("SLA warning"),
    NotificationKind.SLA_BREACH: _("SLA breached"),
    NotificationKind.COMMENT: _("New customer-visible comment"),
    NotificationKind.FORM_DECIDED: _("On-site application decided"),
    NotificationKind.DISPATCHED: _("Dispatched on site"),
    NotificationKind.FOLLOW_UP_DUE: _("Follow-up call due"),
    NotificationKind.QUALITY_CHANGED: _("Quality feedback changed"),
}

# The SLA scan writes its text in the worker's language; the mail shows the due time instead.
KINDS_WITHOUT_EVENT_TEXT = {NotificationKind.SLA_WARNING, NotificationKind.SLA_BREACH}


def mail_domain() -> str:
    address = parseaddr(settings.TIERDESK_MAIL_FROM)[1]
    return address.rpartition("@")[2] or "tierdesk.localhost"


def message_id(notification: Notification) -> str:
    # Mail-in threads replies by this exact form: keep it.
    return f"<tierdesk.case{notification.case_id}.n{notification.pk}@{mail_domain()}>"


def absolute_url(path: str) -> str:
    return settings.TIERDESK_BASE_URL.rstrip("/") + path


def headline(notification: Notification) -> str:
    text = HEADLINES[NotificationKind(notification.kind)]
    if notification.kind == NotificationKind.ESCALATED:
        return text % {"group": Status(notification.event.to_status).label}
    return str(text)


def render_mail(notification: Notification) -> EmailMultiAlternatives:
    recipient, case, event = notification.recipient, notification.case, notification.event
    with translation.override(recipient.language):
        show_text = (
            notification.kind not in KINDS_WITHOUT_EVENT_TEXT
            and (access.sees_internal(recipient) or not event.is_internal)
            and bool(event.text)
        )
        context = {
            "recipient": recipient,
            "case": case,
            "event": event,
            "headline": headline(notification),
            "event_text": event.text if show_text else "",
            "url": absolute_url(reverse("cases:detail", args=[case.pk])),
            "preferences_url": absolute_url(reverse("notifications:preferences")),
        }
        subject = render_to_string("notifications/mail/subject.txt", context)
        text = render_to_string("notifications/mail/body.txt", context)
        html = render_to_string("notifications/mail/body.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a header is one line
        body=text,
        from_email=settings.TIERDESK_MAIL_FROM,
        to=[recipient.email],
        headers={
            "Message-ID": message_id(notification),
            # RFC 3834: out-of-office robots should not answer a notification.
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
