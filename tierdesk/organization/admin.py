from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tierdesk.organization.models import (
    Contact,
    Customer,
    Department,
    Product,
    ProductVersion,
    Region,
    Role,
    Site,
    User,
    Vendor,
    VendorCoverage,
)

admin.site.site_header = _("tierdesk administration")
admin.site.site_title = _("tierdesk")


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "function"]
    list_filter = ["function"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "code"]

    def has_add_permission(self, request):
        # The roles are the regulation's; the code that checks them knows each one.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class TierdeskUserAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ["username", "__str__", "region", "department", "is_active"]
    list_filter = ["roles", "region", "department", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "phone"]
    filter_horizontal = ["roles", "groups", "user_permissions"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (
            _("Support organization"),
            {"fields": ["roles", "region", "department", "vendor", "phone", "language"]},
        ),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        (
            _("Support organization"),
            {"fields": ["first_name", "last_name", "email", "roles", "region", "department"]},
        ),
    ]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    autocomplete_fields = ["region"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name", "contacts__name", "sites__name"]
    inlines = [ContactInline, SiteInline]


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "customer", "region"]
    list_filter = ["region"]
    search_fields = ["name", "customer__name", "address"]
    autocomplete_fields = ["customer", "region"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "customer", "phone", "email"]
    search_fields = ["name", "customer__name", "phone", "email"]
    autocomplete_fields = ["customer"]


class ProductVersionInline(admin.TabularInline):
    model = ProductVersion
    extra = 0


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "category", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name"]
    inlines = [ProductVersionInline]


class VendorCoverageInline(admin.TabularInline):
    model = VendorCoverage
    extra = 0


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "phone", "email"]
    search_fields = ["name"]
    inlines = [VendorCoverageInline]
