import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are created with real passwords; PBKDF2 would make each sign-in slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
