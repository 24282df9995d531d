"""Cases to talk about, a fan-out helper, and a real SMTP server on a loopback port."""

import socket
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

# The case fixtures of tests/cases (a customer, its sites and products, `open_case`).
from tests.cases.conftest import (  # noqa: F401
    FIXED,
    _fast_password_hashing,
    customer,
    east_site,
    open_case,
    own_product,
    video_product,
)
from tierdesk.notifications import fanout
from tierdesk.notifications.models import Notification


def planned(case=None, **filters) -> set[tuple[str, str]]:
    """Fan out what is waiting, then list (kind, username) of the mail planned so far."""
    fanout.fan_out(now=FIXED)
    rows = Notification.objects.filter(**filters)
    if case is not None:
        rows = rows.filter(case=case)
    return set(rows.values_list("kind", "recipient__username"))


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=default_policy))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def smtp_mailer(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server; the default mailer points at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_loopback_port())
    controller.start()
    settings.MAILERS = smtp_mailer(controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def dead_smtp(settings):
    """The default mailer points at a loopback port where nothing listens."""
    settings.MAILERS = smtp_mailer(free_loopback_port())
