"""Fetching mail from the support mailbox (IMAP or a local Maildir) and handing it to `receive`.

A mail is marked read (IMAP \\Seen, Maildir cur/) only after `receive` has committed it: a crash
in between fetches it again, and its unique Message-ID keeps it one record. Call these outside
a transaction, so that "committed" means committed.
"""

import imaplib
import logging
import mailbox
import ssl
from dataclasses import dataclass, fields
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from tierdesk.mailin.models import State
from tierdesk.mailin.services import Received, receive

logger = logging.getLogger(__name__)

COUNTED_STATES = {
    State.CASE_OPENED: "opened",
    State.THREADED: "threaded",
    State.TRIAGE: "triage",
    State.IGNORED: "ignored",
}


@dataclass
class FetchSummary:
    fetched: int = 0
    opened: int = 0
    threaded: int = 0
    triage: int = 0
    ignored: int = 0
    duplicates: int = 0
    failed: int = 0

    def count(self, received: Received) -> None:
        self.fetched += 1
        if received.duplicate:
            self.duplicates += 1
        else:
            name = COUNTED_STATES[received.message.state]
            setattr(self, name, getattr(self, name) + 1)

    def __add__(self, other: "FetchSummary") -> "FetchSummary":
        return FetchSummary(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        return (
            _(
                "fetched %(fetched)d, opened %(opened)d, threaded %(threaded)d, "
                "triage %(triage)d, ignored %(ignored)d, duplicates %(duplicates)d, "
                "failed %(failed)d"
            )
            % self.as_dict()
        )


def _receive_one(raw: bytes, *, mailbox_name: str, now: datetime, summary: FetchSummary) -> bool:
    """Receive one mail; False if it failed and must stay unread to be tried again."""
    try:
        received = receive(raw, mailbox=mailbox_name, now=now)
    except Exception:
        # One broken mail must not stop the others; it stays unread and is logged each run.
        logger.exception("mail-in: could not process a mail from %s", mailbox_name)
        summary.fetched += 1
        summary.failed += 1
        return False
    summary.count(received)
    return True


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    user: str
    password: str
    tls: str = "ssl"  # "ssl", "starttls" or "none"
    folder: str = "INBOX"
    timeout: int = 60
    ca_file: str = ""  # a private CA's certificate; empty: the system's trusted CAs

    @classmethod
    def from_settings(cls) -> "ImapAccount":
        return cls(
            host=settings.MAILIN_IMAP_HOST,
            port=settings.MAILIN_IMAP_PORT,
            user=settings.MAILIN_IMAP_USER,
            password=settings.MAILIN_IMAP_PASSWORD,
            tls=settings.MAILIN_IMAP_TLS,
            folder=settings.MAILIN_IMAP_FOLDER,
            timeout=settings.MAILIN_IMAP_TIMEOUT,
            ca_file=settings.MAILIN_IMAP_CA_FILE,
        )

    @property
    def name(self) -> str:
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"

    def connect(self) -> imaplib.IMAP4:
        # Certificates and host names are always verified: the password travels on this line.
        context = ssl.create_default_context(cafile=self.ca_file or None)
        if self.tls == "ssl":
            connection = imaplib.IMAP4_SSL(
                self.host, self.port, ssl_context=context, timeout=self.timeout
            )
        else:
            connection = imaplib.IMAP4(self.host, self.port, timeout=self.timeout)
            if self.tls == "starttls":
                connection.starttls(ssl_context=context)
        connection.login(self.user, self.password)
        return connection


def _check(response: tuple) -> list:
    status, data = response
    if status != "OK":
        raise imaplib.IMAP4.error(f"IMAP said {status}: {data!r}")
    return data


def fetch_imap(*, now: datetime, account: ImapAccount | None = None) -> FetchSummary:
    """Receive every unread mail of the folder; mark each \\Seen once it is committed."""
    account = account or ImapAccount.from_settings()
    summary = FetchSummary()
    connection = account.connect()
    try:
        _check(connection.select(account.folder))
        uids = _check(connection.uid("SEARCH", None, "UNSEEN", "UNDELETED"))[0].split()
        for uid in uids:
            # PEEK: fetching alone must not mark the mail read; only a commit does.
            data = _check(connection.uid("FETCH", uid, "(BODY.PEEK[])"))
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw is None:
                continue  # expunged by someone else meanwhile
            if _receive_one(raw, mailbox_name=account.name, now=now, summary=summary):
                _check(connection.uid("STORE", uid, "+FLAGS", "(\\Seen)"))
    finally:
        try:
            connection.logout()
        except (imaplib.IMAP4.error, OSError):
            logger.warning("mail-in: logout from %s failed", account.name)
    return summary


def fetch_maildir(path: str, *, now: datetime) -> FetchSummary:
    """Receive every mail delivered to new/; move each to cur/ (read) once it is committed."""
    box = mailbox.Maildir(path, factory=None, create=False)
    summary = FetchSummary()
    for key in sorted(box.iterkeys()):
        message = box.get_message(key)
        if message.get_subdir() != "new":
            continue
        if _receive_one(
            box.get_bytes(key), mailbox_name=f"maildir:{path}", now=now, summary=summary
        ):
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message
    return summary


def fetch_configured(*, now: datetime) -> FetchSummary:
    """Fetch from whatever the settings name: the IMAP account, the Maildir, or both."""
    summary = FetchSummary()
    if settings.MAILIN_IMAP_HOST:
        summary += fetch_imap(now=now)
    if settings.MAILIN_MAILDIR:
        summary += fetch_maildir(settings.MAILIN_MAILDIR, now=now)
    return summary
