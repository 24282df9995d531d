from django.urls import path

from tierdesk.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="subscriptions"),
    path("new/", views.subscription_new, name="new"),
    path("<int:pk>/", views.subscription_detail, name="detail"),
    path("<int:pk>/edit/", views.subscription_edit, name="edit"),
    path("<int:pk>/active/", views.subscription_set_active, name="set_active"),
    path("<int:pk>/ping/", views.subscription_ping, name="ping"),
    path("<int:pk>/secret/", views.subscription_rotate_secret, name="rotate_secret"),
    path("<int:pk>/deliveries/<int:delivery_pk>/", views.delivery_detail, name="delivery"),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/again/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
