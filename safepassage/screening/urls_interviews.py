"""The screening interview's pages (inside the "screening" namespace). Other apps link to these
names; keep them."""

from django.urls import path

from safepassage.screening.views import answering, declarations, interviews, read_back

INTERVIEW = "interviews/<int:interview_id>/"

urlpatterns: list = [
    path(
        "cases/<int:case_id>/start/",
        interviews.interview_start_view,
        name="interview_start",
    ),
    path(INTERVIEW, interviews.interview_overview, name="interview"),
    path(
        f"{INTERVIEW}sections/<slug:section_id>/",
        answering.section_view,
        name="section",
    ),
    path(
        f"{INTERVIEW}answers/<slug:question_id>/",
        answering.answer_save,
        name="answer_save",
    ),
    path(f"{INTERVIEW}confirm-language/", answering.confirm_language, name="confirm_language"),
    path(
        f"{INTERVIEW}confirm-understanding/",
        answering.confirm_understanding,
        name="confirm_understanding",
    ),
    path(f"{INTERVIEW}declaration/oral/", answering.declaration_oral, name="declaration_oral"),
    path(f"{INTERVIEW}concern/", interviews.concern_view, name="concern"),
    path(f"{INTERVIEW}read-back/", read_back.read_back_view, name="read_back"),
    path(
        f"{INTERVIEW}read-back/amend/<slug:question_id>/",
        read_back.amend_view,
        name="amend",
    ),
    path(
        f"{INTERVIEW}read-back/confirm/",
        read_back.read_back_confirm_view,
        name="read_back_confirm",
    ),
    path(f"{INTERVIEW}complete/", interviews.interview_complete_view, name="complete"),
    path(f"{INTERVIEW}adjourn/", interviews.interview_adjourn_view, name="adjourn"),
    path(f"{INTERVIEW}record.pdf", interviews.interview_record, name="record"),
    path("declarations/", declarations.declaration_list, name="declarations"),
    path(
        f"{INTERVIEW}declaration/",
        declarations.declaration_sign_view,
        name="declaration_sign",
    ),
]
