import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are created with real passwords; PBKDF2 would make each sign-in slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The case fixtures (customer, sites, products, open_case) are shared with the case tests.
from tests.cases.conftest import (  # noqa: E402, F401
    customer,
    east_site,
    north_site,
    open_case,
    own_product,
)
