from tierdesk.organization import permissions
from tierdesk.organization.models import RoleCode, User


def test_vendor_contact_must_belong_to_a_vendor(vendor_contact, field_engineer):
    assert permissions.is_vendor_contact(vendor_contact)
    assert not permissions.is_vendor_contact(field_engineer)
    vendor_contact.vendor = None
    assert not permissions.is_vendor_contact(vendor_contact)


def test_only_presales_and_integration_pm_coordinate_vendors(
    presales_engineer, integration_pm, product_manager, line2_engineer
):
    assert permissions.can_coordinate_vendors(presales_engineer)
    assert permissions.can_coordinate_vendors(integration_pm)
    assert not permissions.can_coordinate_vendors(product_manager)
    assert not permissions.can_coordinate_vendors(line2_engineer)


def test_supervisor_and_administrator_see_everything(supervisor, administrator, regional_support):
    assert permissions.sees_everything(supervisor)
    assert permissions.sees_everything(administrator)
    assert not permissions.sees_everything(regional_support)


def test_primary_role_follows_the_line_order(service_manager, field_engineer):
    assert permissions.primary_role(field_engineer) == RoleCode.FIELD_ENGINEER
    # The Engineering Service manager is also a line-2 engineer; line 2 comes first.
    assert permissions.primary_role(service_manager) == RoleCode.LINE2_ENGINEER


def test_line_membership(field_engineer, regional_support, line2_engineer, rd_engineer):
    assert permissions.is_line1(field_engineer) and permissions.is_line1(regional_support)
    assert permissions.is_line2(line2_engineer) and not permissions.is_line2(field_engineer)
    assert permissions.is_specialist(rd_engineer) and not permissions.is_specialist(line2_engineer)


def test_role_codes_are_read_fresh_once_and_from_a_prefetch_without_a_query(
    service_manager, field_engineer, django_assert_num_queries
):
    fresh = User.objects.get(pk=service_manager.pk)
    with django_assert_num_queries(1):
        assert fresh.role_codes == {RoleCode.LINE2_ENGINEER, RoleCode.SERVICE_MANAGER}
        assert fresh.has_role(RoleCode.SERVICE_MANAGER)
    listed = User.objects.filter(pk__in=[service_manager.pk, field_engineer.pk])
    with django_assert_num_queries(2):
        codes = {user.username: user.role_codes for user in listed.prefetch_related("roles")}
    assert codes == {
        service_manager.username: {RoleCode.LINE2_ENGINEER, RoleCode.SERVICE_MANAGER},
        field_engineer.username: {RoleCode.FIELD_ENGINEER},
    }
    assert User().role_codes == frozenset()
