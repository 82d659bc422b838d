"""The portal's URLs, included twice: /apply/ for the applicant, /partner/ for a partner
caseworker acting for one (see views.portal). Staff open documents under /applications/."""

from django.urls import path

from safepassage.applications.views import (
    biometrics,
    casework,
    centres,
    checks_identity,
    decisions,
    documents,
    grants,
    letters,
    partner,
    portal,
    security,
)

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
    path(
        "application/<uuid:public_id>/letters/<int:letter_id>/",
        letters.own_letter,
        name="letter",
    ),
    path(
        "application/<uuid:public_id>/biometrics/",
        biometrics.book_centre,
        name="biometrics_centre",
    ),
    path(
        "application/<uuid:public_id>/biometrics/booked/",
        biometrics.booked,
        name="biometrics_booked",
    ),
    path(
        "application/<uuid:public_id>/biometrics/centre/<slug:code>/",
        biometrics.book_time,
        name="biometrics_time",
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
            "<uuid:public_id>/biometrics/",
            biometrics.request_biometrics,
            name="biometrics_request",
        ),
        path(
            "<uuid:public_id>/biometrics/<int:appointment_id>/attendance/",
            biometrics.record_attendance,
            name="biometrics_attendance",
        ),
        path("centres/", centres.centre_list, name="centres"),
        path("centres/new/", centres.centre_add, name="centre_add"),
        path("centres/<int:centre_id>/", centres.centre_edit, name="centre_edit"),
        path("<uuid:public_id>/identity/run/", checks_identity.run, name="identity_check_run"),
        path(
            "<uuid:public_id>/identity/<int:check_id>/resolve/",
            checks_identity.resolve,
            name="identity_check_resolve",
        ),
        path(
            "<uuid:public_id>/identity/<int:check_id>/fail/",
            checks_identity.fail,
            name="identity_check_fail",
        ),
        path("watch-list/", security.watch_list, name="watch_list"),
        path("<uuid:public_id>/security/", security.security_run, name="security_run"),
        path(
            "<uuid:public_id>/security/<int:check_id>/",
            security.security_adjudicate,
            name="security_adjudicate",
        ),
        path("<uuid:public_id>/decision/", decisions.propose, name="decision_propose"),
        path(
            "<uuid:public_id>/decision/<int:decision_id>/",
            decisions.review,
            name="decision_review",
        ),
        path("decisions/waiting/", decisions.waiting, name="decisions_waiting"),
        path("arrivals/", grants.grant_find_page, name="grant_find"),
        path("figures/", grants.figures, name="figures"),
        path(
            "<uuid:public_id>/documents/<int:document_id>/",
            documents.staff_document,
            name="document",
        ),
        path(
            "<uuid:public_id>/letters/<int:letter_id>/",
            letters.staff_letter,
            name="letter",
        ),
    ],
    "applications",
)
