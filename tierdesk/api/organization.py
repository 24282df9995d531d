"""Reference data the case forms need, and who the caller is."""

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Query, Router, Schema

from tierdesk.api.cases import current_user, require_internal
from tierdesk.api.errors import Problem
from tierdesk.api.pagination import PageParams, page_of, paginate
from tierdesk.cases import access
from tierdesk.organization.models import (
    Contact,
    Customer,
    Product,
    ProductVersion,
    Region,
    Site,
    User,
    Vendor,
)

router = Router(tags=["organization"])


class RegionOut(Schema):
    id: int
    code: str
    name: str
    name_en: str


class VersionOut(Schema):
    id: int
    version: str
    released_on: str | None

    @staticmethod
    def resolve_released_on(version: ProductVersion) -> str | None:
        return version.released_on.isoformat() if version.released_on else None


class ProductOut(Schema):
    id: int
    code: str
    name: str
    category: str
    is_active: bool
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(product: Product) -> list[ProductVersion]:
        return list(product.versions.all())


class SiteOut(Schema):
    id: int
    name: str
    region: str
    address: str

    @staticmethod
    def resolve_region(site: Site) -> str:
        return site.region.code


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str


class CustomerOut(Schema):
    id: int
    name: str
    sites: list[SiteOut]
    contacts: list[ContactOut]

    @staticmethod
    def resolve_sites(customer: Customer) -> list[Site]:
        return list(customer.sites.all())

    @staticmethod
    def resolve_contacts(customer: Customer) -> list[Contact]:
        return list(customer.contacts.all())


class VendorOut(Schema):
    id: int
    name: str
    categories: list[str]

    @staticmethod
    def resolve_categories(vendor: Vendor) -> list[str]:
        return sorted(coverage.category for coverage in vendor.coverages.all())


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    region: str | None
    department: str | None
    vendor: int | None
    sees_internal: bool

    @staticmethod
    def resolve_name(user: User) -> str:
        return str(user)

    @staticmethod
    def resolve_roles(user: User) -> list[str]:
        return sorted(user.role_codes)

    @staticmethod
    def resolve_region(user: User) -> str | None:
        return user.region.code if user.region_id else None

    @staticmethod
    def resolve_department(user: User) -> str | None:
        return user.department.code if user.department_id else None

    @staticmethod
    def resolve_vendor(user: User) -> int | None:
        return user.vendor_id

    @staticmethod
    def resolve_sees_internal(user: User) -> bool:
        return access.sees_internal(user)


@router.get("/regions", response={200: list[RegionOut], 401: Problem})
def list_regions(request: HttpRequest):
    return Region.objects.all()


@router.get("/products", response={200: list[ProductOut], 401: Problem})
def list_products(request: HttpRequest):
    return Product.objects.filter(is_active=True).prefetch_related("versions")


@router.get(
    "/customers", response={200: page_of(CustomerOut), 400: Problem, 401: Problem, 403: Problem}
)
def list_customers(request: HttpRequest, page: Query[PageParams]) -> dict:
    """Customers with their sites and contacts, newest first; not for partner vendors."""
    require_internal(current_user(request))
    customers = Customer.objects.prefetch_related(
        Prefetch("sites", queryset=Site.objects.select_related("region")), "contacts"
    )
    return paginate(customers, page)


@router.get("/vendors", response={200: list[VendorOut], 401: Problem})
def list_vendors(request: HttpRequest):
    return Vendor.objects.prefetch_related("coverages")


@router.get("/me", response={200: MeOut, 401: Problem})
def me(request: HttpRequest):
    user = current_user(request)
    return (
        User.objects.select_related("region", "department")
        .prefetch_related("roles")
        .get(pk=user.pk)
    )
