from tests.cases.conftest import (  # noqa: F401
    _fast_password_hashing,
    customer,
    east_site,
    own_product,
)
