"""Uploaded spreadsheets waiting between validation and import, and what they brought in."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers and contacts")
    SITES = "sites", _("Sites")
    PRODUCTS = "products", _("Products and versions")
    CASES = "cases", _("Historical cases")


class BatchState(models.TextChoices):
    VALID = "valid", _("Validated, waiting for confirmation")
    INVALID = "invalid", _("Has errors")
    IMPORTED = "imported", _("Imported")


def batch_path(instance, filename: str) -> str:
    # Random names: an uploaded file's name never decides where it lands.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportBatch(models.Model):
    """One uploaded file: kept between the validation and the confirmation of its import."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to=batch_path)
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    source = models.CharField(
        _("source system"),
        max_length=100,
        blank=True,
        help_text=_("Where historical cases come from; their references are unique within it."),
    )
    state = models.CharField(_("state"), max_length=20, choices=BatchState.choices)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"))
    validated_at = models.DateTimeField(_("validated at"))
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class ImportedCaseReference(models.Model):
    """A case's reference in the system it came from: importing it again finds it here."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    source = models.CharField(_("source system"), max_length=100)
    reference = models.CharField(_("reference"), max_length=100)
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("imported case reference")
        verbose_name_plural = _("imported case references")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="unique_imported_case_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.reference}"
