"""The webhook pages: subscriptions, their delivery log, and the actions on them."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tierdesk.cases.forms import show_errors
from tierdesk.webhooks import services
from tierdesk.webhooks.forms import SubscriptionForm
from tierdesk.webhooks.models import DeliveryState, WebhookSubscription
from tierdesk.webhooks.permissions import (
    access_delivery,
    access_subscription,
    require_webhook_manager,
)

LOG_PAGE_SIZE = 50


def _remember_secret(request, subscription: WebhookSubscription, secret: str) -> None:
    # Kept in the session only until the next page shows it: the secret never goes in a URL.
    request.session[f"webhook-secret-{subscription.pk}"] = secret


@login_required
def subscription_list(request):
    require_webhook_manager(request.user)
    subscriptions = WebhookSubscription.objects.select_related("created_by").annotate(
        pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
    )
    return render(request, "webhooks/list.html", {"subscriptions": subscriptions})


@login_required
def subscription_new(request):
    require_webhook_manager(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.create_subscription(
                by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            _remember_secret(request, subscription, subscription.secret)
            messages.success(request, _("Webhook “%(name)s” created.") % {"name": subscription})
            return redirect("webhooks:detail", pk=subscription.pk)
    status = 400 if form.is_bound else 200
    return render(request, "webhooks/form.html", {"form": form}, status=status)


@login_required
def subscription_detail(request, pk: int):
    subscription = access_subscription(request.user, pk)
    deliveries = subscription.deliveries.select_related("event").order_by("-id")
    state = request.GET.get("state", "")
    if state in DeliveryState.values:
        deliveries = deliveries.filter(state=state)
    before = request.GET.get("before", "")
    if before.isdigit():
        deliveries = deliveries.filter(id__lt=int(before))
    page = list(deliveries[: LOG_PAGE_SIZE + 1])
    older = page[LOG_PAGE_SIZE - 1].pk if len(page) > LOG_PAGE_SIZE else None
    context = {
        "subscription": subscription,
        "secret": request.session.pop(f"webhook-secret-{subscription.pk}", None),
        "deliveries": page[:LOG_PAGE_SIZE],
        "older": older,
        "state": state,
        "states": DeliveryState.choices,
    }
    return render(request, "webhooks/detail.html", context)


@login_required
def subscription_edit(request, pk: int):
    subscription = access_subscription(request.user, pk)
    initial = {
        "name": subscription.name,
        "target_url": subscription.target_url,
        "event_types": subscription.event_types,
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_subscription(
                subscription, by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhooks:detail", pk=subscription.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "subscription": subscription}
    return render(request, "webhooks/form.html", context, status=status)


@login_required
@require_POST
def subscription_set_active(request, pk: int):
    subscription = access_subscription(request.user, pk)
    if request.POST.get("active") == "1":
        services.activate_subscription(subscription, by=request.user, now=timezone.now())
        messages.success(request, _("Webhook activated."))
    else:
        services.deactivate_subscription(subscription, by=request.user, now=timezone.now())
        messages.success(request, _("Webhook deactivated: nothing more is sent to it."))
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
@require_POST
def subscription_ping(request, pk: int):
    subscription = access_subscription(request.user, pk)
    try:
        services.send_test_ping(subscription, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Test ping queued; its result appears in the delivery log shortly.")
        )
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
@require_POST
def subscription_rotate_secret(request, pk: int):
    subscription = access_subscription(request.user, pk)
    secret = services.rotate_secret(subscription, by=request.user, now=timezone.now())
    _remember_secret(request, subscription, secret)
    messages.warning(request, _("New secret generated: the old one no longer verifies."))
    return redirect("webhooks:detail", pk=subscription.pk)


@login_required
def delivery_detail(request, pk: int, delivery_pk: int):
    subscription = access_subscription(request.user, pk)
    delivery = access_delivery(subscription, delivery_pk)
    context = {
        "subscription": subscription,
        "delivery": delivery,
        "attempts": delivery.attempt_log.all(),
        "payload_json": json.dumps(delivery.payload, ensure_ascii=False, indent=2),
    }
    return render(request, "webhooks/delivery.html", context)


@login_required
@require_POST
def delivery_redeliver(request, pk: int, delivery_pk: int):
    subscription = access_subscription(request.user, pk)
    delivery = access_delivery(subscription, delivery_pk)
    try:
        services.redeliver(delivery, by=request.user, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Delivery %(id)s queued again.") % {"id": delivery.pk})
    return redirect("webhooks:detail", pk=subscription.pk)
