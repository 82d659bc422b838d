"""Administration of screening: the questionnaire's versions and the interpreters' register
(inside the "screening" namespace)."""

from django.urls import path

from safepassage.screening.views import admin

urlpatterns: list = [
    path("questionnaires/", admin.questionnaire_list, name="questionnaires"),
    path("questionnaires/new/", admin.questionnaire_new, name="questionnaire_new"),
    path("questionnaires/<int:version_id>/", admin.questionnaire_detail, name="questionnaire"),
    path(
        "questionnaires/<int:version_id>/edit/",
        admin.questionnaire_edit,
        name="questionnaire_edit",
    ),
    path(
        "questionnaires/<int:version_id>/publish/",
        admin.questionnaire_publish_view,
        name="questionnaire_publish",
    ),
    path("interpreters/", admin.interpreter_list, name="interpreters"),
    path("interpreters/new/", admin.interpreter_add_view, name="interpreter_add"),
    path(
        "interpreters/<int:interpreter_id>/edit/",
        admin.interpreter_edit_view,
        name="interpreter_edit",
    ),
]
