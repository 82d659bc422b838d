"""The portal's URLs, included twice: /apply/ for the applicant, /partner/ for a partner
caseworker acting for one (see views.portal). Staff open documents under /applications/."""

from django.urls import path

from safepassage.applications.views import casework, documents, partner, portal

# The pages an applicant and a partner share: one application's questions, check, status.
_shared = [
    path("application/<uuid:public_id>/", portal.resume, name="resume"),
    path("application/<uuid:public_id>/children/", portal.children, name="children"),
    path("application/<uuid:public_id>/uploads/", portal.uploads, name="uploads"),
    path("application/<uuid:public_id>/check/", portal.check, name="check"),
    path("application/<uuid:public_id>/sent/", portal.submitted, name="submitted"),
    path("application/<uuid:public_id>/status/", portal.status, name="status"),
    path("application/<uuid:public_id>/withdraw/", portal.withdraw, name="withdraw"),
    path(
        "application/<uuid:public_id>/consents/<int:consent_id>/revoke/",
        portal.revoke_consent,
        name="revoke_consent",
    ),
    path(
        "application/<uuid:public_id>/documents/<int:document_id>/",
        documents.own_document,
        name="document",
    ),
    path("application/<uuid:public_id>/<slug:slug>/", portal.question, name="question"),
]

apply_patterns = (
    [
        path("", portal.start, name="start"),
        path("language/", portal.choose_language, name="language"),
        path("sign-in/", portal.sign_in, name="sign_in"),
        path("sign-in/code/", portal.enter_code, name="code"),
        path("sign-out/", portal.sign_out, name="sign_out"),
        path("applications/", portal.application_list, name="applications"),
        path("applications/new/", portal.application_new, name="new"),
        *_shared,
    ],
    "apply",
)

partner_patterns = (
    [
        path("", partner.home, name="home"),
        path("start/", partner.start, name="start"),
        *_shared,
    ],
    "partner",
)

staff_patterns = (
    [
        path("", casework.queue, name="queue"),
        path("<uuid:public_id>/", casework.case, name="case"),
        path(
            "<uuid:public_id>/documents/<int:document_id>/",
            documents.staff_document,
            name="document",
        ),
    ],
    "applications",
)
