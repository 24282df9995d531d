"""Regions, departments, roles and users; the customers, sites, products and vendors they serve."""

from functools import cache, cached_property

from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RoleCode(models.TextChoices):
    FIELD_ENGINEER = "field_engineer", _("Regional after-sales engineer")
    REGIONAL_SUPPORT = "regional_support", _("Regional technical-support engineer")
    LINE2_ENGINEER = "line2_engineer", _("After-sales technical-support engineer")
    SERVICE_MANAGER = "service_manager", _("Engineering Service manager")
    RD_ENGINEER = "rd_engineer", _("R&D test-support engineer")
    PRESALES_ENGINEER = "presales_engineer", _("Pre-sales support engineer")
    PRODUCT_MANAGER = "product_manager", _("Product manager")
    INTEGRATION_PRODUCT_MANAGER = "integration_pm", _("Integration product manager")
    SUPERVISOR = "supervisor", _("After-sales service supervisor")
    VENDOR_CONTACT = "vendor_contact", _("Partner vendor contact")
    ADMINISTRATOR = "administrator", _("Administrator")


class DepartmentFunction(models.TextChoices):
    """What a department does in the regulation; its name may change, its function does not."""

    REGIONAL = "regional", _("Regional after-sales")
    ENGINEERING_SERVICE = "engineering_service", _("Engineering Service (line 2)")
    RD_TEST_SUPPORT = "rd_test_support", _("R&D test support")
    MARKET_SUPPORT = "market_support", _("Market support (pre-sales)")
    PRODUCT_MANAGEMENT = "product_management", _("Product management")
    AFTER_SALES_MANAGEMENT = "after_sales_management", _("After-sales management")
    OTHER = "other", _("Other")


class ProductCategory(models.TextChoices):
    OWN = "own", _("Own product")
    POWER_ENVIRONMENT = "power_env", _("Power & environment monitoring / energy-saving integration")
    VIDEO = "video", _("Video integration")
    OTHER = "other", _("Other integration products")


LINE3_CATEGORIES = [ProductCategory.POWER_ENVIRONMENT, ProductCategory.VIDEO, ProductCategory.OTHER]


class BilingualName(models.Model):
    """A named record whose name is shown in the reader's language when an English one exists."""

    name = models.CharField(_("name (Chinese)"), max_length=100, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return bilingual_name(self.name, self.name_en)


def bilingual_name(name: str, name_en: str) -> str:
    """The name in the reader's language; also for rows read as plain values."""
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return name


class Region(BilingualName):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Department(BilingualName):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    function = models.CharField(
        _("function"), max_length=30, choices=DepartmentFunction.choices, db_index=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Role(models.Model):
    code = models.CharField(_("code"), max_length=30, choices=RoleCode.choices, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class Product(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(
        _("category"), max_length=20, choices=ProductCategory.choices, db_index=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    @property
    def is_integration_product(self) -> bool:
        return self.category != ProductCategory.OWN


class ProductVersion(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="versions", verbose_name=_("product")
    )
    version = models.CharField(_("version"), max_length=40)
    released_on = models.DateField(_("released on"), null=True, blank=True)

    class Meta:
        ordering = ["product", "-released_on", "version"]
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="unique_product_version")
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.version}"


class Vendor(models.Model):
    """A partner vendor whose integrated products line 3 fixes, reached through a coordinator."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner vendor")
        verbose_name_plural = _("partner vendors")

    def __str__(self) -> str:
        return self.name

    @cached_property
    def category_codes(self) -> set[str]:
        return {coverage.category for coverage in self.coverages.all()}

    def covers(self, category: str) -> bool:
        return category in self.category_codes


class VendorCoverage(models.Model):
    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="coverages", verbose_name=_("vendor")
    )
    category = models.CharField(
        _("category"),
        max_length=20,
        choices=[(c.value, c.label) for c in LINE3_CATEGORIES],
    )

    class Meta:
        verbose_name = _("covered category")
        verbose_name_plural = _("covered categories")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "category"], name="unique_vendor_category")
        ]

    def __str__(self) -> str:
        return str(ProductCategory(self.category).label)


class User(AbstractUser):
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("region"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("department"),
    )
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("partner vendor"),
        help_text=_("Only for partner vendor contacts."),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
        help_text=_("Language of the mail tierdesk sends to this person."),
    )
    is_service_account = models.BooleanField(
        _("service account"),
        default=False,
        help_text=_(
            "Acts for a background job such as mail-in; has no password and cannot sign in."
        ),
    )
    # The password hash never goes into history, and a sign-in's last_login is not a change
    # anyone administers; role grants are recorded through the M2M, who gave whom which role.
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[roles])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return person_name(self.username, self.first_name, self.last_name)

    def get_full_name(self) -> str:
        # Chinese names read family name first, without a space.
        return f"{self.last_name}{self.first_name}".strip()

    @cached_property
    def role_codes(self) -> frozenset[str]:
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("roles")
        if prefetched is not None:
            return frozenset(role.code for role in prefetched)
        if self.pk is None:
            return frozenset()
        # Asked on nearly every request: written out, because the ORM spent longer compiling
        # the join than the database spent answering it.
        with connection.cursor() as cursor:
            cursor.execute(_role_codes_sql(), [self.pk])
            return frozenset(code for (code,) in cursor.fetchall())

    def has_role(self, *codes: str) -> bool:
        return not self.role_codes.isdisjoint(codes)


def person_name(username: str, first_name: str, last_name: str) -> str:
    """How a person is named on the pages; also for rows read as plain values."""
    return f"{last_name}{first_name}".strip() or username


@cache
def _role_codes_sql() -> str:
    quote = connection.ops.quote_name
    grants = User.roles.through._meta
    return (
        "SELECT r.{code} FROM {roles} r JOIN {grants} g ON g.{role} = r.{pk} WHERE g.{user} = %s"
    ).format(
        code=quote("code"),
        roles=quote(Role._meta.db_table),
        grants=quote(grants.db_table),
        role=quote(grants.get_field("role").column),
        pk=quote(Role._meta.pk.column),
        user=quote(grants.get_field("user").column),
    )


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(
        pgettext_lazy("a person's position", "title"), max_length=100, blank=True
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)

    class Meta:
        ordering = ["customer", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.customer})"


class Site(models.Model):
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="sites", verbose_name=_("customer")
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="sites", verbose_name=_("region")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["customer", "name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        constraints = [
            models.UniqueConstraint(fields=["customer", "name"], name="unique_site_per_customer")
        ]

    def __str__(self) -> str:
        return f"{self.customer} / {self.name}"
