from django.urls import path

from tierdesk.followups import views

app_name = "followups"

urlpatterns = [
    path("", views.follow_up_list, name="follow_ups"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attempt/", views.record_attempt, name="attempt"),
    path("<int:pk>/answer/", views.record_answer, name="record_answer"),
    path("<int:pk>/mail-link/", views.mail_link, name="mail_link"),
    path("<int:pk>/reassign/", views.reassign, name="reassign"),
    path("answer/<str:token>/", views.customer_answer, name="answer"),
]
