"""Sign-in, the home page of each role, the menu and the language switch."""

from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_is_chinese_by_default(client, db):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert '<html lang="zh-hans">' in page.text
    assert "登录" in page.text


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_field_engineer_signs_in_and_sees_their_role_and_region(client, field_engineer):
    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "区域售后工程师" in response.text
    assert "华东大区" in response.text
    assert 'data-role="field_engineer"' in response.text


def test_wrong_password_shows_an_error_beside_the_form(client, field_engineer):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.text
    assert "_auth_user_id" not in client.session


def test_each_role_has_its_own_home_card(client, line2_engineer, vendor_contact):
    client.force_login(line2_engineer)
    assert 'data-role="line2_engineer"' in client.get(reverse("home")).text
    client.force_login(vendor_contact)
    page = client.get(reverse("home")).text
    assert 'data-role="vendor_contact"' in page
    assert "海视达视频" in page


def test_only_administrators_see_the_administration_menu(client, administrator, field_engineer):
    client.force_login(field_engineer)
    assert reverse("admin:index") not in client.get(reverse("home")).text
    client.force_login(administrator)
    assert reverse("admin:index") in client.get(reverse("home")).text


def test_language_switch_shows_english_and_remembers_it(client, field_engineer):
    client.force_login(field_engineer)
    response = client.post(reverse("switch_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.text
    assert "Regional after-sales engineer" in response.text
    assert "East China" in response.text
    field_engineer.refresh_from_db()
    assert field_engineer.language == "en"


def test_language_switch_refuses_foreign_redirects(client, field_engineer):
    client.force_login(field_engineer)
    response = client.post(
        reverse("switch_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_password_change_applies_the_password_policy(client, field_engineer):
    client.force_login(field_engineer)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "密码" in response.text and "is-invalid" in response.text
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "field-work-2026!",
            "new_password2": "field-work-2026!",
        },
    )
    assert response.status_code == 302
    field_engineer.refresh_from_db()
    assert field_engineer.check_password("field-work-2026!")


def test_pages_carry_a_content_security_policy_with_a_nonce(client, field_engineer):
    client.force_login(field_engineer)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text


def test_page_fits_a_phone_screen(client, field_engineer):
    client.force_login(field_engineer)
    page = client.get(reverse("home")).text
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "navbar-toggler" in page


def test_a_persons_chosen_language_follows_them_to_a_new_device(client, field_engineer):
    field_engineer.language = "en"
    field_engineer.save()
    client.force_login(field_engineer)
    page = client.get(reverse("home"), headers={"accept-language": "zh-CN"})
    assert '<html lang="en">' in page.text
