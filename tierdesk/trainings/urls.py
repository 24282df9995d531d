from django.urls import path

from tierdesk.trainings import views

app_name = "trainings"

urlpatterns = [
    path("", views.session_list, name="sessions"),
    path("new/", views.new_session, name="new"),
    path("me/", views.my_record, name="my_record"),
    path("people/<int:pk>/", views.person_record, name="person"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_session, name="edit"),
    path("<int:pk>/state/", views.change_state, name="state"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/materials/", views.upload_material, name="materials"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_file, name="material"),
]
