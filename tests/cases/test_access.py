"""Who sees which case: the list (cases_visible_to) and the detail page (access_case) agree, and
each persona sees exactly its scope."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from tests.cases.conftest import at
from tests.factories import UserFactory, VendorFactory
from tierdesk.cases import access, workflow
from tierdesk.cases.enums import Action, Classification, Status
from tierdesk.organization.models import ProductCategory, RoleCode

ALL_CASES = [
    "east_field",  # east, still with the field engineer
    "north_field",  # north, still with the field engineer
    "east_line2",  # east, reached line 2
    "east_rd_back",  # east, went to R&D and came back to line 2
    "east_presales",  # east, with pre-sales now
    "east_product",  # east, with product management now
    "east_vendor",  # east, video product with the video vendor (coordinated by the integration PM)
    "north_other_vendor",  # north, video product with another video vendor
]

EAST = {"east_field", "east_line2", "east_rd_back", "east_presales", "east_product", "east_vendor"}
REACHED_LINE2 = set(ALL_CASES) - {"east_field", "north_field"}

VISIBLE = {
    "field_engineer": EAST,
    "regional_support": EAST,
    "north_field_engineer": {"north_field", "north_other_vendor"},
    "line2_engineer": REACHED_LINE2,
    "service_manager": REACHED_LINE2,
    "rd_engineer": {"east_rd_back"},
    # Pre-sales also sees the case it coordinates with a vendor.
    "presales_engineer": {"east_presales", "north_other_vendor"},
    "product_manager": {"east_product"},
    "integration_pm": {"east_product", "east_vendor"},
    "vendor_contact": {"east_vendor"},
    "supervisor": set(ALL_CASES),
    "administrator": set(ALL_CASES),
}

MATRIX = [
    pytest.param(persona, name, name in visible, id=f"{persona}-{name}")
    for persona, visible in VISIBLE.items()
    for name in ALL_CASES
]


@pytest.fixture
def scenario(
    open_case,
    north_site,
    video_product,
    video_vendor,
    field_engineer,
    north_field_engineer,
    regional_support,
    line2_engineer,
    rd_engineer,
    presales_engineer,
    product_manager,
    integration_pm,
):
    north_support = UserFactory(
        username="nick", roles=[RoleCode.REGIONAL_SUPPORT], region=north_field_engineer.region
    )
    other_vendor = VendorFactory(name="北方视频厂家", categories=[ProductCategory.VIDEO])

    def to_line2(case, field, regional):
        workflow.perform(case, action=Action.ESCALATE, by=field, now=at(hours=1), text="f1")
        workflow.perform(case, action=Action.ESCALATE, by=regional, now=at(hours=2), text="f2")
        workflow.assign(case, by=line2_engineer, to=line2_engineer, now=at(hours=3))
        return case

    def hand_over(case, action, classification, **extra):
        workflow.perform(
            case,
            action=action,
            by=line2_engineer,
            now=at(hours=4),
            text="over to you",
            classification=classification,
            **extra,
        )
        return case

    cases = {
        "east_field": open_case(field_engineer),
        "north_field": open_case(north_field_engineer, site=north_site),
        "east_line2": to_line2(open_case(field_engineer), field_engineer, regional_support),
    }
    rd = to_line2(open_case(field_engineer), field_engineer, regional_support)
    hand_over(rd, Action.TRANSFER_RD, Classification.PRODUCT_DEFECT)
    workflow.perform(rd, action=Action.HAND_BACK, by=rd_engineer, now=at(hours=5), text="back")
    cases["east_rd_back"] = rd
    cases["east_presales"] = hand_over(
        to_line2(open_case(field_engineer), field_engineer, regional_support),
        Action.TRANSFER_PRESALES,
        Classification.SOLUTION_DEFECT,
    )
    cases["east_product"] = hand_over(
        to_line2(open_case(field_engineer), field_engineer, regional_support),
        Action.TRANSFER_PRODUCT,
        Classification.REQUIREMENT,
    )
    cases["east_vendor"] = hand_over(
        to_line2(
            open_case(field_engineer, product=video_product), field_engineer, regional_support
        ),
        Action.TRANSFER_VENDOR,
        Classification.PARTNER_PRODUCT,
        vendor=video_vendor,
        coordinator=integration_pm,
    )
    cases["north_other_vendor"] = hand_over(
        to_line2(
            open_case(north_field_engineer, site=north_site, product=video_product),
            north_field_engineer,
            north_support,
        ),
        Action.TRANSFER_VENDOR,
        Classification.PARTNER_PRODUCT,
        vendor=other_vendor,
        coordinator=presales_engineer,
    )
    for case in cases.values():
        case.refresh_from_db()
    # The scenario is what the names say.
    assert cases["east_rd_back"].status == Status.LINE2
    assert cases["east_presales"].status == Status.PRESALES
    assert cases["east_vendor"].vendor == video_vendor
    assert cases["north_other_vendor"].region == north_site.region
    return cases


@pytest.mark.parametrize(("persona", "name", "in_scope"), MATRIX)
def test_list_and_detail_agree_on_each_persona_scope(request, scenario, persona, name, in_scope):
    user = request.getfixturevalue(persona)
    case = scenario[name]

    listed = access.cases_visible_to(user).filter(pk=case.pk).exists()
    try:
        opened = access.access_case(user, case.pk)
    except Http404:
        opened = None

    assert listed is in_scope
    assert (opened is not None) is in_scope
    if opened is not None:
        assert opened.pk == case.pk


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_each_persona_lists_exactly_its_scope(request, scenario, persona):
    user = request.getfixturevalue(persona)
    names = {pk: name for name, pk in ((n, c.pk) for n, c in scenario.items())}

    listed = {names[pk] for pk in access.cases_visible_to(user).values_list("pk", flat=True)}

    assert listed == VISIBLE[persona]


def test_vendor_contact_reads_only_the_customer_safe_part(vendor_contact, line2_engineer):
    assert access.sees_internal(vendor_contact) is False
    assert access.sees_internal(line2_engineer) is True


def test_inactive_and_anonymous_people_see_nothing(scenario, supervisor):
    supervisor.is_active = False
    supervisor.save()
    assert not access.cases_visible_to(supervisor).exists()
    assert not access.cases_visible_to(AnonymousUser()).exists()
    with pytest.raises(Http404):
        access.access_case(AnonymousUser(), scenario["east_field"].pk)


def test_vendor_contact_without_a_vendor_sees_nothing(scenario):
    orphan = UserFactory(username="orphan", roles=[RoleCode.VENDOR_CONTACT])
    assert not access.cases_visible_to(orphan).exists()
