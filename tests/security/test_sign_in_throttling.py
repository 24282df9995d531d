"""Repeated wrong passwords lock a user name out from one address; tokens are not affected."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tierdesk.api import tokens

WRONG = "not-the-password"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, username, address="10.0.0.1"):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, WRONG, address)


def test_the_limit_is_five_failures_for_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_a_wrong_password_before_the_limit_shows_the_form_again(client, field_engineer):
    response = sign_in(client, "alice", WRONG)
    assert response.status_code == 200
    assert "Sign in to tierdesk" in response.text


def test_after_too_many_failures_even_the_right_password_is_refused_with_a_clear_page(
    client, field_engineer
):
    fail_until_locked(client, "alice")

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text
    assert "locked for 15 minutes" in response.text
    assert "_auth_user_id" not in client.session
    # The page is a tierdesk page, with its stylesheet and language switch.
    assert "bootstrap.min.css" in response.text


def test_the_lockout_holds_for_one_user_name_from_one_address(client, field_engineer, east):
    fail_until_locked(client, "alice")

    assert sign_in(client, "alice", PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "bob", WRONG).status_code == 200


def test_a_success_before_the_limit_resets_the_count(client, field_engineer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "alice", WRONG)
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()

    sign_in(client, "alice", WRONG)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, field_engineer, settings):
    fail_until_locked(client, "alice")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    # Axes compares the attempts' time with its own clock; age them as the cool-off would.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)

    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_failed_sign_ins_are_listed_for_the_supervisor(client, field_engineer, supervisor):
    fail_until_locked(client, "alice")

    client.force_login(supervisor)
    page = client.get(reverse("audit:sign_ins"), {"username": "alice"})

    assert page.text.count("<td>alice</td>") == settings.AXES_FAILURE_LIMIT
    assert "10.0.0.1" in page.text
    assert "locked out" in page.text


def test_a_locked_out_person_api_token_still_works(client, field_engineer):
    _token, plain = tokens.create_token(user=field_engineer, name="脚本", now=timezone.now())
    fail_until_locked(client, "alice")

    response = client.get("/api/v1/organization/me", HTTP_AUTHORIZATION=f"Bearer {plain}")

    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_wrong_api_tokens_do_not_lock_the_owner_out(client, field_engineer):
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.get("/api/v1/organization/me", HTTP_AUTHORIZATION="Bearer tdk_00000000_wrong")

    assert sign_in(client, "alice", PASSWORD).status_code == 302
