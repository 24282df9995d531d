"""Personal API tokens: a person's key for scripts and outside programs, stored hashed."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One named token. Only its SHA-256 hash is kept; the plain token is shown once."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “monitoring script”.")
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=16,
        unique=True,
        help_text=_("The public part of the token, shown to tell tokens apart."),
    )
    secret_hash = models.CharField(_("secret hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.display_prefix})"

    @property
    def display_prefix(self) -> str:
        return f"tdk_{self.prefix}_…"

    def state(self, now: datetime) -> "ApiToken.State":
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.ACTIVE

    def is_active(self, now: datetime) -> bool:
        return self.state(now) == self.State.ACTIVE
