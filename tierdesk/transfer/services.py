"""Imports in two steps: upload and check everything, then confirm and save it all or nothing."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tierdesk.cases.imports import import_historical_case
from tierdesk.organization.models import Contact, Customer, Product, ProductVersion, User
from tierdesk.transfer import access
from tierdesk.transfer.models import BatchState, ImportBatch, ImportedCaseReference, ImportKind
from tierdesk.transfer.reading import UnreadableFile, check_size, read_table
from tierdesk.transfer.validation import Plan, RowError, check_table

DEFAULT_SOURCE = "spreadsheet"


class ImportRejected(Exception):
    """The file cannot be imported as it is; `errors` names each row and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            _("The file has %(count)s errors; nothing was imported.") % {"count": len(errors)}
        )


def check_file(
    *,
    kind: str,
    content: bytes,
    filename: str,
    encoding: str = "auto",
    source: str = "",
    now: datetime,
) -> tuple[Plan, str]:
    """Every error of the file, and what importing it would create; nothing is saved."""
    table = read_table(content, filename, encoding=encoding)
    plan = check_table(kind, table, source=source or DEFAULT_SOURCE, now=now)
    return plan, table.encoding


def upload(
    *, kind: str, upload_file, encoding: str = "auto", source: str = "", by: User, now: datetime
) -> ImportBatch:
    """Keep the file and record the result of checking it; raises UnreadableFile."""
    if kind not in ImportKind.values:
        raise ValidationError({"kind": _("Not a kind of import.")})
    if not access.may_import(by, kind):
        raise PermissionDenied(_("You may not import this kind of data."))
    check_size(upload_file.size)
    content = upload_file.read()
    plan, used = check_file(
        kind=kind,
        content=content,
        filename=upload_file.name,
        encoding=encoding,
        source=source,
        now=now,
    )
    batch = ImportBatch(
        kind=kind,
        original_name=upload_file.name[:255],
        encoding=used,
        source=(source or DEFAULT_SOURCE)[:100] if kind == ImportKind.CASES else "",
        state=BatchState.INVALID if plan.errors else BatchState.VALID,
        errors=[error.as_dict() for error in plan.errors],
        counts=plan.counts,
        created_by=by,
        created_at=now,
        validated_at=now,
    )
    batch.file.save(upload_file.name, ContentFile(content), save=False)
    batch.save()
    return batch


def confirm(batch: ImportBatch, *, by: User, now: datetime) -> ImportBatch:
    """Check the kept file again (the database may have changed) and import it in one go."""
    if not access.may_import(by, batch.kind):
        raise PermissionDenied(_("You may not import this kind of data."))
    if batch.state == BatchState.IMPORTED:
        raise ValidationError(_("This file has already been imported."))
    with batch.file.open("rb") as stored:
        content = stored.read()
    try:
        plan = import_content(
            kind=batch.kind,
            content=content,
            filename=batch.original_name,
            encoding=batch.encoding or "auto",
            source=batch.source,
            by=by,
            now=now,
            batch=batch,
        )
    except ImportRejected as rejected:
        batch.state = BatchState.INVALID
        batch.errors = [error.as_dict() for error in rejected.errors]
        batch.validated_at = now
        batch.save(update_fields=["state", "errors", "validated_at"])
        raise
    batch.state = BatchState.IMPORTED
    batch.counts = plan.counts
    batch.errors = []
    batch.imported_at = now
    batch.save(update_fields=["state", "counts", "errors", "imported_at"])
    return batch


def import_content(
    *,
    kind: str,
    content: bytes,
    filename: str,
    encoding: str = "auto",
    source: str = "",
    by: User,
    now: datetime,
    batch: ImportBatch | None = None,
) -> Plan:
    """Check and import in one transaction; any error and nothing at all is saved."""
    try:
        with transaction.atomic():
            plan, _used = check_file(
                kind=kind,
                content=content,
                filename=filename,
                encoding=encoding,
                source=source,
                now=now,
            )
            if plan.errors:
                raise ImportRejected(plan.errors)
            APPLY[kind](plan, by=by, now=now, source=source or DEFAULT_SOURCE, batch=batch)
    except UnreadableFile as error:
        raise ImportRejected([RowError(0, "", "", str(error))]) from None
    except (IntegrityError, ValidationError) as error:
        # Someone saved the same record between the check and this transaction.
        raise ImportRejected(
            [
                RowError(
                    0,
                    "",
                    "",
                    _("Saving failed: %(error)s")
                    % {"error": "; ".join(getattr(error, "messages", [str(error)]))},
                )
            ]
        ) from None
    return plan


def _apply_customers(plan: Plan, **context) -> None:
    created: dict[str, Customer] = {}
    for item in plan.items:
        if item[0] == "customer":
            _tag, name, notes = item
            customer = Customer(name=name, notes=notes)
            customer.full_clean()
            customer.save()
            created[name] = customer
        else:
            _tag, name, details = item
            customer = created.get(name) or Customer.objects.get(name=name)
            contact = Contact(customer=customer, **details)
            contact.full_clean()
            contact.save()


def _apply_sites(plan: Plan, **context) -> None:
    for site in plan.items:
        site.full_clean()
        site.save()


def _apply_products(plan: Plan, **context) -> None:
    for item in plan.items:
        if item[0] == "product":
            _tag, code, name, category = item
            product = Product(code=code, name=name, category=category)
            product.full_clean()
            product.save()
        else:
            _tag, code, version, released_on = item
            ProductVersion.objects.create(
                product=Product.objects.get(code=code), version=version, released_on=released_on
            )


def _apply_cases(plan: Plan, *, by: User, now: datetime, source: str, batch) -> None:
    for item in plan.items:
        case = import_historical_case(item, by=by, now=now)
        ImportedCaseReference.objects.create(
            case=case, source=source, reference=item.reference, batch=batch
        )


APPLY = {
    ImportKind.CUSTOMERS: _apply_customers,
    ImportKind.SITES: _apply_sites,
    ImportKind.PRODUCTS: _apply_products,
    ImportKind.CASES: _apply_cases,
}
