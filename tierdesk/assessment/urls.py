from django.urls import path

from tierdesk.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<str:period>/", views.assessment_detail, name="detail"),
    path("<str:period>/comment/", views.comment, name="comment"),
    path("<str:period>/sign-off/", views.sign_off, name="sign_off"),
    path("<str:period>/pdf/", views.assessment_pdf, name="pdf"),
    path("<str:period>/xlsx/", views.assessment_xlsx, name="xlsx"),
]
