"""Webhook fixtures: the case fixtures, a live receiver, and a subscription helper."""

import pytest

from tests.cases.conftest import (  # noqa: F401  (fixtures shared with the case tests)
    FIXED,
    _fast_password_hashing,
    customer,
    east_site,
    open_case,
    own_product,
)
from tests.webhooks.receiver import Receiver
from tierdesk.webhooks import services
from tierdesk.webhooks.models import SUBSCRIBABLE_EVENT_TYPES


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    # Short timeouts keep the slow-receiver tests fast; the backoff is the shipped one.
    settings.WEBHOOKS_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOKS_MAX_ATTEMPTS = 8
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    settings.WEBHOOKS_RETRY_MAX_SECONDS = 6 * 3600
    settings.TIERDESK_BASE_URL = "https://tierdesk.example.com"


@pytest.fixture
def receiver():
    live = Receiver().start()
    yield live
    live.stop()


@pytest.fixture
def subscribe(service_manager):
    """subscribe(url, events=None, **changes): a subscription made by the service manager."""

    def _subscribe(url, events=None, name="NMS", **changes):
        subscription = services.create_subscription(
            by=service_manager,
            now=FIXED,
            name=name,
            target_url=url,
            event_types=events or [t.value for t in SUBSCRIBABLE_EVENT_TYPES],
        )
        if changes:
            subscription = services.update_subscription(
                subscription, by=service_manager, now=FIXED, **changes
            )
        return subscription

    return _subscribe
