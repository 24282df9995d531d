"""Production settings pass Django's deployment check; cookies and headers are hardened."""

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse

PRODUCTION = {
    "TIERDESK_HTTPS": "true",
    "ALLOWED_HOSTS": "support.example.com",
    "TIERDESK_BASE_URL": "https://support.example.com",
    "EMAIL_HOST": "smtp.example.com",
    "EMAIL_USE_TLS": "true",
}


def deploy_check(tmp_path, **environment) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "TIERDESK_", "SECURE_", "DEBUG"))
    }
    env.update(TIERDESK_DATA_DIR=str(tmp_path), **environment)
    return subprocess.run(
        [sys.executable, "-m", "tierdesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (1 silenced)" in result.stdout


def test_production_static_files_are_collected_hashed_and_compressed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "TIERDESK_", "SECURE_", "DEBUG"))
    }
    env.update(TIERDESK_DATA_DIR=str(tmp_path), STATIC_MANIFEST="true", **PRODUCTION)
    result = subprocess.run(
        [sys.executable, "-m", "tierdesk", "collectstatic", "--no-input"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    bootstrap = list(
        (tmp_path / "static" / "vendor" / "bootstrap-5.3.8").glob("bootstrap.min.*.css")
    )
    assert bootstrap, "the stylesheet has a hashed name for far-future caching"
    assert list(bootstrap[0].parent.glob("bootstrap.min.*.css.gz"))


def test_the_embedded_http_default_is_flagged_by_the_deploy_check(tmp_path):
    result = deploy_check(tmp_path, EMAIL_HOST="smtp.example.com")
    assert result.returncode == 1
    for check in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert check in result.stderr


def test_session_cookie_is_http_only_and_same_site_lax_always():
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_pages_carry_csp_with_a_nonce_and_the_secure_headers(client, field_engineer):
    client.force_login(field_engineer)
    response = client.get(reverse("home"))

    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_forms_are_csrf_protected(field_engineer):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(field_engineer)
    response = strict.post(reverse("cases:new"), {"title": "x"})
    assert response.status_code == 403
