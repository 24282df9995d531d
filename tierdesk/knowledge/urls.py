from django.urls import path

from tierdesk.knowledge import suggestion_views, views

app_name = "knowledge"

urlpatterns = [
    path("", views.search_page, name="articles"),
    path("search/", views.search_page, name="search"),
    path("new/", views.new_article, name="new"),
    path("from-case/<int:case_pk>/", views.new_article, name="from_case"),
    path("review/", views.review_queue, name="review"),
    path("suggestions/", suggestion_views.suggestions_panel, name="suggestions"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/reuse/", views.reuse, name="reuse"),
    path("<int:pk>/vote/", views.vote, name="vote"),
]
