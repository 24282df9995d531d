from django.urls import path

from tierdesk.quality import views

app_name = "quality"

urlpatterns = [
    path("", views.feedback_list, name="feedbacks"),
    path("export.xlsx", views.export, name="export"),
    path("new/", views.new_feedback, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
]
