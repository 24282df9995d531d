"""A person of region B asking for region A's records by id gets 404 everywhere, never 403."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.cases.conftest import FIXED, at
from tests.factories import ProductFactory, SiteFactory, UserFactory
from tierdesk.api import tokens
from tierdesk.cases import attachments, workflow
from tierdesk.cases.enums import Action, Channel, Priority, Source
from tierdesk.followups.models import FollowUp
from tierdesk.notifications import fanout
from tierdesk.onsite import workflow as onsite
from tierdesk.organization.models import RoleCode

SECRET_TITLE = "华东机密 FSU 故障"


@pytest.fixture
def north_support(north):
    return UserFactory(
        username="nick", roles=[RoleCode.REGIONAL_SUPPORT, RoleCode.FIELD_ENGINEER], region=north
    )


@pytest.fixture
def east_records(regional_support, east):
    site = SiteFactory(region=east)
    case = workflow.open_case(
        by=regional_support,
        now=FIXED,
        title=SECRET_TITLE,
        description="只给华东看",
        customer=site.customer,
        site=site,
        product=ProductFactory(),
        source=Source.CUSTOMER,
        channel=Channel.FIELD,
        priority=Priority.P3,
    )
    attachment = attachments.add_attachment(
        case,
        by=regional_support,
        upload=SimpleUploadedFile("log.txt", b"east log\n"),
        internal=False,
        now=at(1),
    )
    application = onsite.create_application(case=case, by=regional_support, now=at(2))
    workflow.perform(case, action=Action.RESOLVE, by=regional_support, now=at(3), text="done")
    fanout.fan_out(now=at(3))
    return {
        "case": case,
        "attachment": attachment,
        "application": application,
        "follow_up": FollowUp.objects.get(case=case),
    }


def test_pages_answer_404_for_another_regions_records(client, north_support, east_records):
    case, application = east_records["case"], east_records["application"]
    client.force_login(north_support)
    reads = [
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:attachment", args=[case.pk, east_records["attachment"].pk]),
        reverse("onsite:detail", args=[application.pk]),
        reverse("onsite:pdf", args=[application.pk]),
        reverse("followups:detail", args=[east_records["follow_up"].pk]),
    ]
    for url in reads:
        assert client.get(url).status_code == 404, url
    writes = {
        reverse("cases:comment", args=[case.pk]): {"text": "hello", "internal": ""},
        reverse("cases:edit", args=[case.pk]): {"title": "renamed"},
        reverse("cases:act", args=[case.pk]): {"action": "reopen", "text": "again"},
        reverse("cases:upload", args=[case.pk]): {"file": SimpleUploadedFile("a.txt", b"x\n")},
        reverse("onsite:act", args=[application.pk]): {"action": "submit"},
        reverse("onsite:edit", args=[application.pk]): {"project": "renamed"},
    }
    for url, data in writes.items():
        assert client.post(url, data).status_code == 404, url
    assert case.events.filter(text__in=["hello", "again"]).count() == 0


def test_search_and_lists_do_not_show_another_regions_case(
    client, north_support, regional_support, east_records
):
    link = reverse("cases:detail", args=[east_records["case"].pk])
    client.force_login(regional_support)
    assert link in client.get(reverse("cases:queue"), {"view": "all", "q": SECRET_TITLE}).text

    client.force_login(north_support)
    for view in ["mine", "group", "region", "all"]:
        page = client.get(reverse("cases:queue"), {"view": view, "q": SECRET_TITLE})
        assert link not in page.text
    listing = client.get(reverse("onsite:applications"))
    assert east_records["application"].serial not in listing.text


def test_api_answers_404_for_another_regions_records(client, north_support, east_records):
    _token, plain = tokens.create_token(user=north_support, name="脚本", now=timezone.now())
    auth = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    case_id = east_records["case"].pk
    reads = [
        f"/api/v1/cases/{case_id}",
        f"/api/v1/cases/{case_id}/events",
        f"/api/v1/onsite/{east_records['application'].pk}",
        f"/api/v1/follow-ups/{east_records['follow_up'].pk}",
    ]
    for url in reads:
        response = client.get(url, **auth)
        assert response.status_code == 404, url
        assert response.headers["Content-Type"] == "application/problem+json"
    comment = client.post(
        f"/api/v1/cases/{case_id}/comments",
        {"text": "hello", "internal": False},
        content_type="application/json",
        **auth,
    )
    assert comment.status_code == 404
    listing = client.get("/api/v1/cases", {"q": SECRET_TITLE}, **auth)
    assert listing.status_code == 200
    assert SECRET_TITLE not in listing.text
