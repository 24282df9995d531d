"""Fetching against a real Dovecot IMAP server and a real Maildir: each mail is received once,
and is marked read only after it was recorded."""

import dataclasses
import mailbox
import ssl

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.cases.conftest import FIXED, at
from tests.mailin.conftest import build_mail
from tierdesk.cases.enums import EventKind
from tierdesk.cases.models import Case
from tierdesk.mailin.fetching import fetch_imap, fetch_maildir
from tierdesk.mailin.models import InboundMessage, State
from tierdesk.mailin.tasks import fetch_mail

# Real commits: "marked \Seen only after the commit" must mean a commit, not a savepoint.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def known_customer(contact, east_site, own_product):
    return contact


def reply_to_first_mail(case):
    return build_mail(
        subject=f"Re: [{case.reference}] FSU-3000 离线",
        body="重启后恢复了，谢谢。",
        message_id="<m2@cmcc-js.example>",
        headers={"In-Reply-To": "<m1@cmcc-js.example>"},
    )


def test_customer_mail_becomes_a_case_and_their_reply_lands_on_it(dovecot, known_customer):
    dovecot.deliver(build_mail())

    first = fetch_imap(now=FIXED, account=dovecot.account)

    assert (first.fetched, first.opened) == (1, 1)
    case = Case.objects.get()
    assert case.contact == known_customer

    dovecot.deliver(reply_to_first_mail(case))
    second = fetch_imap(now=at(hours=2), account=dovecot.account)

    assert (second.fetched, second.threaded) == (1, 1)
    assert Case.objects.count() == 1
    reply = case.events.get(kind=EventKind.COMMENT)
    assert "重启后恢复了，谢谢。" in reply.text
    assert not reply.is_internal


def test_second_fetch_changes_nothing_and_mail_is_seen(dovecot, known_customer):
    dovecot.deliver(build_mail())
    dovecot.deliver(build_mail(sender="nobody@unknown.example", message_id="<x1@unknown.example>"))
    assert all("\\Seen" not in flags for flags in dovecot.flags())

    first = fetch_imap(now=FIXED, account=dovecot.account)
    second = fetch_imap(now=at(minutes=5), account=dovecot.account)

    assert (first.fetched, first.opened, first.triage) == (2, 1, 1)
    assert second.fetched == 0
    assert Case.objects.count() == 1
    assert InboundMessage.objects.count() == 2
    assert all("\\Seen" in flags for flags in dovecot.flags())


def test_the_same_mail_delivered_twice_makes_one_case(dovecot, known_customer):
    dovecot.deliver(build_mail())
    dovecot.deliver(build_mail())

    summary = fetch_imap(now=FIXED, account=dovecot.account)

    assert (summary.fetched, summary.opened, summary.duplicates) == (2, 1, 1)
    assert Case.objects.count() == 1
    assert all("\\Seen" in flags for flags in dovecot.flags())


def test_command_fetches_from_the_configured_imap_account(
    dovecot, known_customer, settings, capsys
):
    account = dovecot.account
    settings.MAILIN_IMAP_HOST = account.host
    settings.MAILIN_IMAP_PORT = account.port
    settings.MAILIN_IMAP_USER = account.user
    settings.MAILIN_IMAP_PASSWORD = account.password
    settings.MAILIN_IMAP_TLS = "none"
    dovecot.deliver(build_mail())
    dovecot.deliver(build_mail(headers={"Auto-Submitted": "auto-replied"}, message_id="<a@x>"))

    with translation.override("en"):
        call_command("fetch_mail")

    assert capsys.readouterr().out.strip() == (
        "fetched 2, opened 1, threaded 0, triage 0, ignored 1, duplicates 0, failed 0"
    )


def test_periodic_task_fetches_the_configured_maildir(tmp_path, known_customer, settings):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(build_mail())
    settings.MAILIN_IMAP_HOST = ""
    settings.MAILIN_MAILDIR = str(tmp_path / "Maildir")

    result = fetch_mail.call()

    assert result["opened"] == 1
    assert Case.objects.count() == 1


def test_maildir_mail_moves_to_cur_once_received(tmp_path, known_customer):
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(build_mail())
    box.add(build_mail(sender="nobody@unknown.example", message_id="<x2@unknown.example>"))

    first = fetch_maildir(str(tmp_path / "Maildir"), now=FIXED)
    second = fetch_maildir(str(tmp_path / "Maildir"), now=at(minutes=5))

    assert (first.fetched, first.opened, first.triage) == (2, 1, 1)
    assert second.fetched == 0
    assert not list((tmp_path / "Maildir" / "new").iterdir())
    moved = list((tmp_path / "Maildir" / "cur").iterdir())
    assert len(moved) == 2
    assert all(path.name.endswith(":2,S") for path in moved)
    assert InboundMessage.objects.filter(state=State.TRIAGE).count() == 1


@pytest.mark.parametrize("tls", ["ssl", "starttls"])
def test_fetches_over_tls_verifying_the_server_certificate(dovecot, known_customer, tls):
    dovecot.deliver(build_mail())

    summary = fetch_imap(now=FIXED, account=dovecot.account_over(tls))

    assert summary.opened == 1


def test_an_untrusted_server_certificate_is_refused(dovecot, known_customer):
    dovecot.deliver(build_mail())
    untrusted = dataclasses.replace(dovecot.account_over("ssl"), ca_file="")

    with pytest.raises(ssl.SSLCertVerificationError):
        fetch_imap(now=FIXED, account=untrusted)

    assert Case.objects.count() == 0


def test_mail_that_fails_stays_unread_and_is_received_on_the_next_run(
    dovecot, known_customer, settings, tmp_path
):
    dovecot.deliver(build_mail())
    # The upload storage is broken (its directory is a file): the raw mail cannot be kept.
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    working_media_root = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = blocked / "uploads"

    failed = fetch_imap(now=FIXED, account=dovecot.account)

    assert (failed.fetched, failed.failed) == (1, 1)
    assert InboundMessage.objects.count() == 0
    assert all("\\Seen" not in flags for flags in dovecot.flags())

    settings.MEDIA_ROOT = working_media_root
    retried = fetch_imap(now=at(minutes=1), account=dovecot.account)

    assert retried.opened == 1
    assert all("\\Seen" in flags for flags in dovecot.flags())
