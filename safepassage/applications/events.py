"""Audit events of the applications app. Payloads hold ids and codes, never personal data."""

from safepassage.audit.registry import Level, register

ACCESS_CODE_SENT = register(
    "applications.access_code_sent", "A one-time code was sent to an applicant", Level.SECURITY
)
APPLICANT_SIGNED_IN = register(
    "applications.applicant_signed_in",
    "An applicant signed in with a one-time code",
    Level.SECURITY,
)
APPLICANT_LOCKED_OUT = register(
    "applications.applicant_locked_out",
    "An applicant was locked out after too many wrong codes",
    Level.SECURITY,
)
APPLICATION_STARTED = register(
    "applications.started", "A visa application was started", Level.ROUTINE
)
ANSWERS_SAVED = register(
    "applications.answers_saved", "Answers on a draft application were saved", Level.ROUTINE
)
DOCUMENT_UPLOADED = register(
    "applications.document_uploaded", "A document was uploaded to an application", Level.ROUTINE
)
DOCUMENT_REMOVED = register(
    "applications.document_removed", "A document was removed from an application", Level.ROUTINE
)
DOCUMENT_DOWNLOADED = register(
    "applications.document_downloaded",
    "A member of staff opened an uploaded document",
    Level.ROUTINE,
)
APPLICATION_SUBMITTED = register(
    "applications.submitted", "A visa application was submitted", Level.SIGNIFICANT
)
APPLICATION_WITHDRAWN = register(
    "applications.withdrawn", "A visa application was withdrawn", Level.SIGNIFICANT
)
INFORMATION_ADDED = register(
    "applications.information_added",
    "Information was added to a submitted application",
    Level.ROUTINE,
)
CONSENT_RECORDED = register(
    "applications.consent_recorded",
    "An applicant's consent for a partner to help was recorded",
    Level.SIGNIFICANT,
)
CONSENT_REVOKED = register(
    "applications.consent_revoked",
    "An applicant's consent for a partner to help was revoked",
    Level.SIGNIFICANT,
)
PARTNER_ORGANISATION_SAVED = register(
    "applications.partner_organisation_saved",
    "A partner organisation was added or changed",
    Level.SIGNIFICANT,
)
APPLICATION_ASSIGNED = register(
    "applications.assigned", "A visa application was assigned to a decision maker", Level.ROUTINE
)
