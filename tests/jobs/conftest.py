from tests.cases.conftest import (  # noqa: F401
    FIXED,
    _fast_password_hashing,
    customer,
    east_site,
    open_case,
    own_product,
)
