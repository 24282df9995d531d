"""Checking every cell of an import before anything is saved; each problem named by row and column.

Each kind turns the rows into a plan (what to create, what already exists) and a list of errors.
Nothing here writes to the database; services.py applies a plan without errors in one
transaction.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierdesk.cases.enums import Channel, Classification, Priority, Source, Status
from tierdesk.cases.imports import HistoricalCase
from tierdesk.organization.models import (
    Contact,
    Customer,
    Product,
    ProductCategory,
    ProductVersion,
    Region,
    Site,
    User,
)
from tierdesk.transfer.columns import COLUMNS, Column, headers_language, match_headers
from tierdesk.transfer.models import ImportedCaseReference, ImportKind
from tierdesk.transfer.reading import Table


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }

    def line(self) -> str:
        """The error on one line, as the command prints it."""
        if not self.row:
            return self.message
        value = f" “{self.value}”" if self.value else ""
        return _("row %(row)s, column %(column)s:%(value)s %(message)s") % {
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }


@dataclass
class Plan:
    """What an import would do, and why it cannot yet."""

    kind: str
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    items: list = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {"rows": self.rows, "new": self.created, "unchanged": self.unchanged}


class Row:
    """One data row: its cells by column key, and where to report what is wrong with them."""

    def __init__(self, number, cells, columns: dict[str, Column], headers: dict, language, plan):
        self.number, self.cells, self.columns, self.plan = number, cells, columns, plan
        self.headers = headers  # column key -> the header as the file writes it
        self.language = language  # names a column the file leaves out
        self.failed = False

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        return self.columns[key].header(self.language)

    def error(self, key: str, message: str) -> None:
        raw = self.cells.get(key, "")
        value = f"{raw:%Y-%m-%d %H:%M}" if isinstance(raw, datetime) else str(raw)
        self.plan.errors.append(RowError(self.number, self.header(key), value[:200], message))
        self.failed = True

    def text(self, key: str) -> str:
        value = self.cells.get(key, "")
        if isinstance(value, datetime):
            return f"{value:%Y-%m-%d %H:%M:%S}"
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        column = self.columns[key]
        if column.required and not text:
            self.error(key, _("This column is required."))
        elif "\x00" in text:
            self.error(key, _("The text contains a NUL character."))
        elif column.max_length and len(text) > column.max_length:
            self.error(
                key,
                _("At most %(limit)s characters (this one has %(length)s).")
                % {"limit": column.max_length, "length": len(text)},
            )
        return text

    def choice(self, key: str, choices: type[TextChoices], aliases: dict | None = None) -> str:
        text = self.text(key)
        if not text:
            return ""
        found = choice_value(text, choices, aliases)
        if found is None:
            allowed = " / ".join(choices.values)
            self.error(key, _("Not one of the allowed values: %(allowed)s.") % {"allowed": allowed})
            return ""
        return found

    def moment(self, key: str) -> datetime | None:
        raw = self.cells.get(key, "")
        if raw in ("", None):
            if self.columns[key].required:
                self.error(key, _("This column is required."))
            return None
        parsed = parse_moment(raw)
        if parsed is None:
            self.error(key, _("Not a date and time; write it as 2024-03-01 09:30."))
        return parsed

    def day(self, key: str) -> date | None:
        raw = self.cells.get(key, "")
        if raw in ("", None):
            return None
        parsed = parse_moment(raw)
        if parsed is None:
            self.error(key, _("Not a date; write it as 2024-03-01."))
            return None
        return timezone.localtime(parsed).date()


def choice_value(text: str, choices: type[TextChoices], aliases: dict | None = None) -> str | None:
    """The code of a choice given as its code or its label in Chinese or English."""
    wanted = text.strip().casefold()
    for alias, value in (aliases or {}).items():
        if alias.casefold() == wanted:
            return value
    for value in choices.values:
        if value.casefold() == wanted:
            return value
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                if str(label).casefold() == wanted:
                    return value
    return None


DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y%m%d",
]
CHINESE_DATE = re.compile(
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2})秒?)?)?$"
)


def parse_moment(raw) -> datetime | None:
    """A date or date and time in the common spreadsheet forms, in the site's time zone."""
    if isinstance(raw, datetime):
        moment = raw
    elif isinstance(raw, date):
        moment = datetime.combine(raw, time())
    else:
        moment = _parse_text(str(raw).strip())
        if moment is None:
            return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _parse_text(text: str) -> datetime | None:
    match = CHINESE_DATE.match(text)
    if match:
        year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
        try:
            return datetime(year, month, day, hour, minute, second)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


# --- the rows of a table ------------------------------------------------------------------------


def _rows(kind: str, table: Table, plan: Plan) -> list[Row]:
    positions, unknown, missing = match_headers(kind, table.headers)
    # A missing column is named the way the file names its other columns.
    language = headers_language(positions, table.headers) or translation.get_language() or "zh-hans"
    for header in unknown:
        plan.errors.append(RowError(1, header, "", _("Unknown column; see the template.")))
    for column in missing:
        plan.errors.append(
            RowError(1, column.header(language), "", _("This required column is missing."))
        )
    # Optional columns may be left out of the file; their cells then read as empty.
    columns = {column.key: column for column in COLUMNS[kind]}
    headers = {
        column.key: table.headers[position].strip() for position, column in positions.items()
    }
    rows = []
    for number, cells in table.rows:
        values = {
            column.key: cells[position] if position < len(cells) else ""
            for position, column in positions.items()
        }
        rows.append(Row(number, values, columns, headers, language, plan))
    plan.rows = len(rows)
    return rows if not missing else []


def _duplicate(row: Row, key: str, seen: dict, identity) -> bool:
    if identity in seen:
        row.error(key, _("Same as row %(row)s of this file.") % {"row": seen[identity]})
        return True
    seen[identity] = row.number
    return False


# --- customers and their contacts -----------------------------------------------------------------


def check_customers(table: Table) -> Plan:
    plan = Plan(ImportKind.CUSTOMERS)
    existing = {c.name: c for c in Customer.objects.all()}
    existing_contacts = set(Contact.objects.values_list("customer__name", "name"))
    new_customers: dict[str, str] = {}
    seen: dict = {}
    for row in _rows(ImportKind.CUSTOMERS, table, plan):
        name, notes = row.text("customer"), row.text("notes")
        contact = {
            "name": row.text("contact"),
            "title": row.text("contact_title"),
            "phone": row.text("contact_phone"),
            "email": row.text("contact_email"),
        }
        if contact["email"]:
            try:
                validate_email(contact["email"])
            except ValidationError:
                row.error("contact_email", _("Not an e-mail address."))
        if not contact["name"] and any(contact.values()):
            row.error("contact", _("A contact's details need the contact's name."))
        if row.failed or _duplicate(row, "contact", seen, (name, contact["name"])):
            continue
        if name not in existing and name not in new_customers:
            new_customers[name] = notes
            plan.created += 1
            plan.items.append(("customer", name, notes))
        elif not contact["name"]:
            plan.unchanged += 1
        if contact["name"]:
            if (name, contact["name"]) in existing_contacts:
                plan.unchanged += 1
            else:
                plan.created += 1
                plan.items.append(("contact", name, contact))
    return plan


# --- sites ----------------------------------------------------------------------------------------


def find_region(text: str) -> Region | None:
    wanted = text.strip().casefold()
    for region in Region.objects.all():
        if wanted in (region.code.casefold(), region.name.casefold(), region.name_en.casefold()):
            return region
    return None


def check_sites(table: Table) -> Plan:
    plan = Plan(ImportKind.SITES)
    customers = {c.name: c for c in Customer.objects.all()}
    sites = {(s.customer_id, s.name): s for s in Site.objects.select_related("region")}
    seen: dict = {}
    for row in _rows(ImportKind.SITES, table, plan):
        customer_name, name = row.text("customer"), row.text("name")
        region_text, address = row.text("region"), row.text("address")
        customer = customers.get(customer_name)
        if customer_name and customer is None:
            row.error("customer", _("No customer has this name; import the customers first."))
        region = find_region(region_text) if region_text else None
        if region_text and region is None:
            row.error("region", _("No region has this code or name."))
        if row.failed or _duplicate(row, "name", seen, (customer_name, name)):
            continue
        present = sites.get((customer.pk, name))
        if present is None:
            plan.created += 1
            plan.items.append(Site(customer=customer, name=name, region=region, address=address))
        elif present.region_id != region.pk:
            row.error(
                "region",
                _("This site already exists in the region %(region)s.")
                % {"region": present.region},
            )
        else:
            plan.unchanged += 1
    return plan


# --- products and their versions ------------------------------------------------------------------


def check_products(table: Table) -> Plan:
    plan = Plan(ImportKind.PRODUCTS)
    products = {p.code: p for p in Product.objects.all()}
    versions = set(ProductVersion.objects.values_list("product__code", "version"))
    in_file: dict[str, tuple[str, str, int]] = {}
    seen: dict = {}
    for row in _rows(ImportKind.PRODUCTS, table, plan):
        code, name = row.text("code"), row.text("name")
        category = row.choice("category", ProductCategory)
        version, released_on = row.text("version"), row.day("released_on")
        if code:
            try:
                validate_slug(code)
            except ValidationError:
                row.error("code", _("Letters, digits, hyphens and underscores only."))
        if row.failed or _duplicate(row, "version", seen, (code, version)):
            continue
        present = products.get(code)
        if present is not None and (present.name, present.category) != (name, category):
            row.error(
                "name",
                _("The code %(code)s already belongs to %(name)s (%(category)s).")
                % {"code": code, "name": present.name, "category": present.get_category_display()},
            )
            continue
        if code in in_file and in_file[code][:2] != (name, category):
            row.error(
                "name",
                _("Row %(row)s gives this code another name or category.")
                % {"row": in_file[code][2]},
            )
            continue
        if present is None and code not in in_file:
            plan.created += 1
            plan.items.append(("product", code, name, category))
        elif not version:
            plan.unchanged += 1
        in_file.setdefault(code, (name, category, row.number))
        if version:
            if (code, version) in versions:
                plan.unchanged += 1
            else:
                plan.created += 1
                plan.items.append(("version", code, version, released_on))
    return plan


# --- historical cases -----------------------------------------------------------------------------

FINISHED = {Status.RESOLVED, Status.CLOSED}
STATUS_ALIASES = {
    "已解决": Status.RESOLVED,
    "解决": Status.RESOLVED,
    "已关闭": Status.CLOSED,
    "关闭": Status.CLOSED,
}
LINE_ALIASES = {"1": 1, "2": 2, "3": 3, "一线": 1, "二线": 2, "三线": 3}


@dataclass(frozen=True)
class References:
    """The records a case row may name, loaded once for the whole file."""

    customers: dict
    sites: dict
    products: dict
    versions: dict
    contacts: dict
    users: dict
    imported: set

    @classmethod
    def load(cls, source: str) -> "References":
        products = {}
        for product in Product.objects.all():
            products.setdefault(product.name.casefold(), product)
            products[product.code.casefold()] = product
        return cls(
            customers={c.name: c for c in Customer.objects.all()},
            sites={(s.customer_id, s.name): s for s in Site.objects.all()},
            products=products,
            versions={(v.product_id, v.version): v for v in ProductVersion.objects.all()},
            contacts={(c.customer_id, c.name): c for c in Contact.objects.all()},
            users={u.username: u for u in User.objects.filter(is_active=True)},
            imported=set(
                ImportedCaseReference.objects.filter(source=source).values_list(
                    "reference", flat=True
                )
            ),
        )


def check_cases(table: Table, *, source: str, now: datetime) -> Plan:
    plan = Plan(ImportKind.CASES)
    known = References.load(source)
    seen: dict = {}
    for row in _rows(ImportKind.CASES, table, plan):
        item = _case_row(row, known, source=source, now=now)
        if row.failed or _duplicate(row, "reference", seen, item["reference"]):
            continue
        if item["reference"] in known.imported:
            plan.unchanged += 1
            continue
        plan.created += 1
        plan.items.append(HistoricalCase(**item))
    return plan


def _case_row(row: Row, known: References, *, source: str, now: datetime) -> dict:
    customer_name, site_name = row.text("customer"), row.text("site")
    customer = known.customers.get(customer_name)
    if customer_name and customer is None:
        row.error("customer", _("No customer has this name."))
    site = known.sites.get((customer.pk, site_name)) if customer else None
    if customer and site_name and site is None:
        row.error("site", _("This customer has no site of this name."))
    product_text = row.text("product")
    product = known.products.get(product_text.casefold())
    if product_text and product is None:
        row.error("product", _("No product has this code or name."))
    version_text = row.text("version")
    version = known.versions.get((product.pk, version_text)) if product else None
    if product and version_text and version is None:
        row.error("version", _("This product has no such version."))
    contact_text = row.text("contact")
    contact = known.contacts.get((customer.pk, contact_text)) if customer else None
    if customer and contact_text and contact is None:
        row.error("contact", _("This customer has no contact of this name."))
    status = row.choice("status", Status, STATUS_ALIASES)
    item = {
        "source": source,
        "reference": row.text("reference"),
        "title": row.text("title"),
        "description": row.text("description"),
        "customer": customer,
        "site": site,
        "product": product,
        "product_version": version,
        "contact": contact,
        "priority": row.choice("priority", Priority),
        "classification": row.choice("classification", Classification),
        "source_kind": row.choice("source", Source) or Source.CUSTOMER,
        "channel": row.choice("channel", Channel) or Channel.FIELD,
        "status": status,
        "opened_at": row.moment("opened_at"),
        "resolved_at": row.moment("resolved_at"),
        "closed_at": row.moment("closed_at"),
        "resolution": row.text("resolution"),
        "resolved_by": None,
        "resolved_line": None,
    }
    username = row.text("resolved_by")
    if username:
        item["resolved_by"] = known.users.get(username)
        if item["resolved_by"] is None:
            row.error("resolved_by", _("No active user has this user name."))
    line_text = row.text("resolved_line")
    if line_text:
        item["resolved_line"] = LINE_ALIASES.get(line_text)
        if item["resolved_line"] is None:
            row.error("resolved_line", _("Write 1, 2 or 3."))
    _check_case_times(row, item, now)
    return item


def _check_case_times(row: Row, item: dict, now: datetime) -> None:
    opened, resolved, closed = item["opened_at"], item["resolved_at"], item["closed_at"]
    status = item["status"]
    if opened and opened > now:
        row.error("opened_at", _("This time is in the future."))
    if status in FINISHED:
        if not resolved and not row.cells.get("resolved_at"):
            row.error("resolved_at", _("A resolved or closed case needs its resolution time."))
        if not item["resolution"]:
            row.error("resolution", _("A resolved or closed case needs its resolution."))
    if status == Status.CLOSED and not closed and not row.cells.get("closed_at"):
        row.error("closed_at", _("A closed case needs its closing time."))
    if opened and resolved and resolved < opened:
        row.error("resolved_at", _("Resolved before it was opened."))
    if resolved and closed and closed < resolved:
        row.error("closed_at", _("Closed before it was resolved."))
    if status and status not in FINISHED and (resolved or closed):
        row.error("status", _("An open case cannot have resolution or closing times."))


CHECKS = {
    ImportKind.CUSTOMERS: check_customers,
    ImportKind.SITES: check_sites,
    ImportKind.PRODUCTS: check_products,
}


def check_table(kind: str, table: Table, *, source: str, now: datetime) -> Plan:
    if kind == ImportKind.CASES:
        return check_cases(table, source=source, now=now)
    return CHECKS[kind](table)
