"""Every mail that reached the support address, what became of it, and why."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tierdesk.cases.models import Case
from tierdesk.organization.models import Contact, Customer, Product, Site


class State(models.TextChoices):
    CASE_OPENED = "case_opened", _("Case opened")
    THREADED = "threaded", _("Added to its case")
    TRIAGE = "triage", _("Waiting in triage")
    IGNORED = "ignored", _("Ignored")
    DISCARDED = "discarded", _("Discarded")


class Reason(models.TextChoices):
    """Why a mail ended in its state: kept as a code so it reads in the reader's language."""

    # Ignored: automatic mail that must never open or touch a case.
    AUTO_SUBMITTED = "auto_submitted", _("Auto-Submitted header: sent by a machine")
    AUTO_REPLY = "auto_reply", _("Auto-reply header (X-Autoreply or X-Autorespond)")
    BULK = "bulk", _("Precedence bulk, junk or list")
    BOUNCE = "bounce", _("Delivery status report (bounce)")
    LOOP = "loop", _("X-Loop header names our address")
    OWN_ADDRESS = "own_address", _("Sent from our own address")
    OWN_MESSAGE = "own_message", _("One of our own notification mails")
    # Threaded or opened: how the case was found.
    REPLY_HEADER = "reply_header", _("In-Reply-To or References names an earlier mail of the case")
    REPLY_NOTIFICATION = "reply_notification", _("Reply to one of our notification mails")
    SUBJECT_REFERENCE = "subject_reference", _("Case reference in the subject")
    NEW_MAIL = "new_mail", _("New mail from a known sender")
    # Triage: what could not be determined.
    UNKNOWN_SENDER = "unknown_sender", _("The sender is neither a customer contact nor a user")
    NO_CUSTOMER = "no_customer", _("The customer could not be determined")
    NO_SITE = "no_site", _("The site could not be determined")
    NO_PRODUCT = "no_product", _("The product could not be determined")
    UNKNOWN_CASE = "unknown_case", _("The referenced case does not exist")
    # Handled by a person.
    CONVERTED = "converted", _("Converted to a case from triage")
    DISCARDED = "discarded", _("Discarded from triage")


def raw_message_path(instance, filename: str) -> str:
    # Random names, as for case attachments: nothing in the mail decides where it lands.
    return f"mail/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.eml"


class InboundMessageQuerySet(models.QuerySet):
    def in_triage(self):
        return self.filter(state=State.TRIAGE)


class InboundMessage(models.Model):
    # Unique: the same message fetched twice (a crash before \Seen, two mailboxes) is one record.
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    mailbox = models.CharField(_("mailbox"), max_length=255)
    from_address = models.CharField(_("from address"), max_length=254, blank=True, db_index=True)
    from_name = models.CharField(_("from name"), max_length=200, blank=True)
    to = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("date"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"))
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=255, blank=True)
    references = models.TextField(_("References"), blank=True)
    body = models.TextField(_("text"), blank=True)
    raw = models.FileField(_("raw message"), upload_to=raw_message_path)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=30, choices=Reason.choices)
    note = models.TextField(
        _("note"), blank=True, help_text=_("The header that decided, or the reason for a discard.")
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inbound_messages",
        verbose_name=_("case"),
    )
    # What was recognised: the prefill of the triage form.
    sender_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender (contact)"),
    )
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender (user)"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer found"),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site found"),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product found"),
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    objects = InboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail")
        indexes = [models.Index(fields=["state", "-id"], name="inbound_state_queue")]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"
