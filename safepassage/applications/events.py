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
IDENTITY_CHECK_RUN = register(
    "applications.identity_check_run",
    "The identity check was run: people on record and other applications searched",
    Level.ROUTINE,
)
IDENTITY_CHECK_RESOLVED = register(
    "applications.identity_check_resolved",
    "An officer decided who the applicant is: the identity check passed",
    Level.SIGNIFICANT,
)
IDENTITY_CHECK_FAILED = register(
    "applications.identity_check_failed",
    "An officer found the applicant's identity cannot be established: the identity check failed",
    Level.SIGNIFICANT,
)
DECISION_PROPOSED = register(
    "applications.decision_proposed",
    "A decision on a visa application was proposed",
    Level.SIGNIFICANT,
)
DECISION_SENT_BACK = register(
    "applications.decision_sent_back",
    "A proposed visa decision was sent back to the decision maker",
    Level.SIGNIFICANT,
)
DECISION_ISSUED = register(
    "applications.decision_issued", "A visa decision was issued", Level.SIGNIFICANT
)
LETTER_CHECKED = register(
    "applications.letter_checked",
    "A decision letter's verification code was checked on the public page",
    Level.ROUTINE,
)
LETTER_CHECKS_LIMITED = register(
    "applications.letter_checks_limited",
    "One network checked too many verification codes and was made to wait",
    Level.SECURITY,
)
BIOMETRICS_REQUESTED = register(
    "applications.biometrics_requested",
    "The applicant was asked to book a biometrics appointment",
    Level.ROUTINE,
)
APPOINTMENT_BOOKED = register(
    "applications.appointment_booked",
    "A biometrics appointment was booked (or changed)",
    Level.ROUTINE,
)
ATTENDANCE_RECORDED = register(
    "applications.attendance_recorded",
    "Attendance at a biometrics appointment was recorded",
    Level.SIGNIFICANT,
)
APPOINTMENT_REMINDER_SENT = register(
    "applications.appointment_reminder_sent",
    "A reminder of a biometrics appointment was sent",
    Level.ROUTINE,
)
BIOMETRIC_CENTRE_SAVED = register(
    "applications.biometric_centre_saved",
    "A visa application centre was added or changed",
    Level.SIGNIFICANT,
)
OPENING_HOURS_SET = register(
    "applications.opening_hours_set",
    "A visa application centre's opening hours were set",
    Level.SIGNIFICANT,
)
WATCH_LIST_LOADED = register(
    "applications.watch_list_loaded",
    "A new security watch list was loaded and became the current one",
    Level.SIGNIFICANT,
)
SECURITY_CHECK_RUN = register(
    "applications.security_check_run",
    "The security check was run on a visa application",
    Level.SIGNIFICANT,
)
SECURITY_CHECK_ADJUDICATED = register(
    "applications.security_check_adjudicated",
    "An officer decided a possible match found by the security check",
    Level.SIGNIFICANT,
)
