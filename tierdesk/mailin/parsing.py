"""Turn the bytes of a mail into what the desk needs: who, about what, the text and the files.

Chinese mail is often labelled GB2312 while using GBK characters, and some mailers put raw
8-bit GBK or UTF-8 into headers without RFC 2047 encoding; both are decoded here.
"""

import email
import email.header
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from html.parser import HTMLParser

# GB18030 is a superset of GBK and GB2312: mailers that say GB2312 often send GBK characters.
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
FALLBACK_CHARSETS = ["utf-8", "gb18030"]
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_MESSAGE_ID = 255


@dataclass(frozen=True)
class MailFile:
    name: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    from_address: str
    from_name: str
    to: str
    subject: str
    sent_at: datetime | None
    in_reply_to: str
    references: list[str]
    body: str
    headers: EmailMessage
    attachments: list[MailFile] = field(default_factory=list)

    def header(self, name: str) -> str:
        return header_text(self.headers, name)


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text in its declared charset; if the label is wrong, UTF-8 or GB18030; never an error."""
    candidates = []
    if charset:
        candidates.append(CHARSET_ALIASES.get(charset.lower(), charset))
    candidates += [c for c in FALLBACK_CHARSETS if c not in candidates]
    for candidate in candidates:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", errors="replace")


def _repair_8bit(text: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogate escapes) decoded as UTF-8 or GBK."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return decode_bytes(text.encode("utf-8", errors="surrogateescape"), None)
    return text


def decode_header_value(value: str) -> str:
    """A header's raw value as text: RFC 2047 words in their charset (GB2312 read as GB18030)."""
    if "=?" in value:
        text = "".join(
            decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
            for chunk, charset in email.header.decode_header(value)
        )
    else:
        text = _repair_8bit(value)
    return " ".join(text.split())


def header_text(message: EmailMessage, name: str) -> str:
    """The first header of this name, decoded by our rules rather than the stdlib's strict ones."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return decode_header_value(str(value))
    return ""


class _TextExtractor(HTMLParser):
    """The readable text of an HTML mail: no tags, scripts or styles survive."""

    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr"}
    SKIPPED = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [" ".join(line.split()) for line in "".join(extractor.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    text = decode_bytes(payload, part.get_content_charset())
    if part.get_content_type() == "text/html":
        return html_to_text(text)
    return text.replace("\r\n", "\n").strip()


def _message_ids(message: EmailMessage, name: str) -> list[str]:
    return MESSAGE_ID.findall(header_text(message, name))


def _stable_id(value: str, raw: bytes) -> str:
    """The Message-ID, or one derived from the bytes: the same mail always gets the same id."""
    if value and len(value) <= MAX_MESSAGE_ID:
        return value
    digest = hashlib.sha256(value.encode() if value else raw).hexdigest()
    return f"<sha256.{digest}@tierdesk.invalid>"


def _attachments(message: EmailMessage, body_part: EmailMessage | None) -> list[MailFile]:
    files = []
    for part in message.walk():
        if part.is_multipart() or part is body_part:
            continue
        disposition = part.get_content_disposition()
        name = " ".join((part.get_filename() or "").split())
        if disposition != "attachment" and not name:
            continue  # an alternative text or HTML body, not a file
        content = part.get_payload(decode=True) or b""
        files.append(MailFile(name=name or f"attachment-{len(files) + 1}", content=content))
    return files


def parse(raw: bytes) -> ParsedMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    from_name, from_address = email.utils.parseaddr(header_text(message, "From"))
    try:
        sent_at = email.utils.parsedate_to_datetime(header_text(message, "Date"))
    except (TypeError, ValueError, IndexError):
        sent_at = None
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = None  # a date without a zone cannot be placed in time
    body_part = message.get_body(preferencelist=("plain", "html"))
    in_reply_to = _message_ids(message, "In-Reply-To")
    return ParsedMail(
        message_id=_stable_id(next(iter(_message_ids(message, "Message-ID")), ""), raw),
        from_address=from_address.strip().lower(),
        from_name=from_name.strip()[:200],
        to=header_text(message, "To"),
        subject=header_text(message, "Subject")[:500],
        sent_at=sent_at,
        in_reply_to=in_reply_to[0][:MAX_MESSAGE_ID] if in_reply_to else "",
        references=_message_ids(message, "References"),
        body=_part_text(body_part) if body_part is not None else "",
        headers=message,
        attachments=_attachments(message, body_part),
    )
