"""Personal API tokens: made and revoked in the browser, stored hashed, acting as their owner."""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from tests.factories import ProductFactory, SiteFactory, UserFactory
from tierdesk.api import tokens
from tierdesk.api.models import ApiToken

API = "/api/v1"
TOKEN_PATTERN = re.compile(r"tdk_[0-9a-f]{8}_[A-Za-z0-9_\-]{43}")


def bearer(plain: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


def create_in_browser(client, user, name="监控脚本", expires_in="") -> str:
    client.force_login(user)
    response = client.post(reverse("api_tokens:new"), {"name": name, "expires_in": expires_in})
    assert response.status_code == 200, response.content
    html = response.content.decode()
    found = TOKEN_PATTERN.findall(html)
    assert len(set(found)) == 1, html
    return found[0]


def test_the_token_is_shown_once_and_stored_hashed(client, field_engineer):
    plain = create_in_browser(client, field_engineer)

    token = ApiToken.objects.get(user=field_engineer)
    assert token.name == "监控脚本"
    secret = plain.split("_", 2)[2]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert plain not in {str(value) for value in vars(token).values()}

    listing = client.get(reverse("api_tokens:list")).content.decode()
    assert "监控脚本" in listing
    assert token.display_prefix in listing
    assert plain not in listing
    assert secret not in listing


def test_the_token_acts_as_its_owner_and_records_its_use(client, field_engineer):
    plain = create_in_browser(client, field_engineer)
    client.logout()

    me = client.get(f"{API}/organization/me", **bearer(plain))
    assert me.status_code == 200, me.content
    assert me.json()["username"] == "alice"
    assert ApiToken.objects.get().last_used_at is not None


def test_last_used_is_written_at_most_once_a_minute(field_engineer):
    now = timezone.now()
    token, plain = tokens.create_token(user=field_engineer, name="ci", now=now)
    assert tokens.authenticate_token(plain, now=now) == field_engineer
    assert tokens.authenticate_token(plain, now=now + timedelta(seconds=30)) == field_engineer
    token.refresh_from_db()
    assert token.last_used_at == now
    later = now + timedelta(minutes=2)
    tokens.authenticate_token(plain, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_revoking_in_the_browser_stops_the_token(client, field_engineer):
    plain = create_in_browser(client, field_engineer)
    token = ApiToken.objects.get()

    confirm = client.get(reverse("api_tokens:revoke", args=[token.pk]))
    assert confirm.status_code == 200
    assert "监控脚本" in confirm.content.decode()
    assert ApiToken.objects.get().revoked_at is None  # a GET only asks

    response = client.post(reverse("api_tokens:revoke", args=[token.pk]), follow=True)
    assert response.status_code == 200
    assert ApiToken.objects.get().revoked_at is not None

    client.logout()
    denied = client.get(f"{API}/cases", **bearer(plain))
    assert denied.status_code == 401
    assert denied.json()["code"] == "not_authenticated"


def test_another_persons_token_cannot_be_revoked(client, field_engineer, regional_support):
    theirs, plain = tokens.create_token(user=regional_support, name="bob's", now=timezone.now())
    client.force_login(field_engineer)
    assert client.get(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert "bob's" not in client.get(reverse("api_tokens:list")).content.decode()
    client.logout()
    assert client.get(f"{API}/organization/me", **bearer(plain)).status_code == 200


@pytest.mark.parametrize(
    "damage",
    [
        lambda plain: plain[:-1] + ("A" if plain[-1] != "A" else "B"),
        lambda plain: plain.replace("tdk_", "xyz_"),
        lambda plain: "tdk_00000000_" + plain.split("_", 2)[2],
        lambda plain: "",
        lambda plain: "tdk_",
    ],
    ids=["wrong-secret", "wrong-scheme", "unknown-prefix", "empty", "no-parts"],
)
def test_a_damaged_token_is_refused(client, field_engineer, damage):
    _token, plain = tokens.create_token(user=field_engineer, name="ci", now=timezone.now())
    response = client.get(f"{API}/cases", **bearer(damage(plain)))
    assert response.status_code == 401


def test_expired_tokens_and_disabled_people_are_refused(client, field_engineer):
    now = timezone.now()
    _token, expiring = tokens.create_token(
        user=field_engineer, name="short", now=now, expires_at=now + timedelta(days=1)
    )
    assert tokens.authenticate_token(expiring, now=now) == field_engineer
    assert tokens.authenticate_token(expiring, now=now + timedelta(days=1)) is None

    _token, plain = tokens.create_token(user=field_engineer, name="ci", now=now)
    field_engineer.is_active = False
    field_engineer.save()
    assert client.get(f"{API}/cases", **bearer(plain)).status_code == 401


def test_service_accounts_hold_no_tokens(client, db):
    robot = UserFactory(username="mail-robot", is_service_account=True)
    with pytest.raises(PermissionDenied):
        tokens.create_token(user=robot, name="x", now=timezone.now())
    client.force_login(robot)
    assert client.post(reverse("api_tokens:new"), {"name": "x"}).status_code == 403


def test_the_browser_page_lists_state_and_expiry(client, field_engineer):
    create_in_browser(client, field_engineer, name="一年", expires_in="365")
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == timedelta(days=365)
    html = client.get(reverse("api_tokens:list")).content.decode()
    assert token.expires_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in html


def test_a_token_needs_no_csrf_and_obeys_the_web_rules(
    field_engineer, north_field_engineer, rd_engineer, east
):
    """Token writes skip CSRF (no cookie is involved) but meet exactly the owner's rules."""
    from django.test import Client

    site, product = SiteFactory(region=east), ProductFactory()
    body = json.dumps(
        {
            "title": "光模块告警",
            "description": "收光功率低。",
            "customer_id": site.customer_id,
            "site_id": site.pk,
            "product_id": product.pk,
            "source": "customer",
            "priority": "P2",
        }
    )
    strict = Client(enforce_csrf_checks=True)

    def as_(user) -> dict:
        return bearer(tokens.create_token(user=user, name="ci", now=timezone.now())[1])

    opened = strict.post(f"{API}/cases", body, "application/json", **as_(field_engineer))
    assert opened.status_code == 201, opened.content
    case_id = opened.json()["id"]

    refused = strict.post(f"{API}/cases", body, "application/json", **as_(rd_engineer))
    assert refused.status_code == 403  # R&D does not open cases, on the web or by API
    assert refused.json()["code"] == "permission_denied"

    hidden = strict.get(f"{API}/cases/{case_id}", **as_(north_field_engineer))
    assert hidden.status_code == 404  # another region's case does not exist for this token


def test_the_admin_lists_tokens_without_the_hash_and_revokes(client, administrator, field_engineer):
    token, _plain = tokens.create_token(user=field_engineer, name="ci", now=timezone.now())
    client.force_login(administrator)
    listing = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert token.prefix in listing
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.secret_hash not in page
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
        follow=True,
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_program_lists_and_revokes_its_own_tokens(client, field_engineer, regional_support):
    mine, plain = tokens.create_token(user=field_engineer, name="nightly", now=timezone.now())
    theirs, _plain = tokens.create_token(user=regional_support, name="bob", now=timezone.now())

    listed = client.get(f"{API}/tokens", **bearer(plain)).json()["items"]
    assert [(t["name"], t["prefix"], t["state"]) for t in listed] == [
        ("nightly", mine.display_prefix, "active")
    ]
    assert listed[0]["last_used_at"] is not None
    assert "secret_hash" not in listed[0]

    other = client.post(f"{API}/tokens/{theirs.pk}/revoke", **bearer(plain))
    assert other.status_code == 404

    revoked = client.post(f"{API}/tokens/{mine.pk}/revoke", **bearer(plain))
    assert revoked.status_code == 200, revoked.content
    assert revoked.json()["state"] == "revoked"
    assert client.get(f"{API}/tokens", **bearer(plain)).status_code == 401
