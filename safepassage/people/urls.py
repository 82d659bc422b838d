from django.urls import path

from safepassage.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/matches/", views.person_matches, name="matches"),
    path("<int:person_id>/correct/", views.person_correct, name="correct"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]
