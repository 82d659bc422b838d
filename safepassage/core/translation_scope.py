"""Which strings an applicant can see, so the portal's languages are held to completeness.

Staff pages are offered in STAFF_LANGUAGES; the applicant portal in every language of
settings.LANGUAGES. A catalogue entry is applicant-facing when any of its source locations
(makemessages keeps file names: `make translations`) is in the portal's code or templates.
"""

from __future__ import annotations

from collections.abc import Iterable

# The languages whose applicant-facing strings must all be translated (the rest are scaffolds,
# falling back to English, or for Dari to Farsi, until a translator fills them in).
COMPLETE_PORTAL_LANGUAGES = ("ar", "fa", "ps", "ti")

APPLICANT_FACING = (
    "safepassage/templates/applications/",
    "safepassage/applications/",
    "safepassage/core/fields.py",
    "safepassage/core/errors.py",
    "safepassage/core/sms.py",
    "safepassage/core/templatetags/govuk.py",
    "safepassage/templates/base.html",
    "safepassage/templates/govuk/",
    "safepassage/templates/errors/",
    "safepassage/templates/includes/",
    "safepassage/settings.py",
)
# Partner caseworkers and decision makers are staff: their pages are in the staff languages.
STAFF_ONLY = (
    "safepassage/templates/applications/partner/",
    "safepassage/templates/applications/staff/",
    "safepassage/applications/views/partner.py",
    "safepassage/applications/views/casework.py",
    "safepassage/applications/services/casework.py",
    "safepassage/applications/queue.py",
    # Checks, decisions, centres, grants and figures: decision makers' and administrators' work.
    "safepassage/applications/views/case_page.py",
    "safepassage/applications/views/centres.py",
    "safepassage/applications/views/biometrics_panel.py",
    "safepassage/applications/views/security.py",
    "safepassage/applications/views/security_panel.py",
    "safepassage/applications/views/identity_panel.py",
    "safepassage/applications/views/checks_identity.py",
    "safepassage/applications/views/decisions.py",
    "safepassage/applications/views/decisions_panel.py",
    "safepassage/applications/views/grants.py",
    "safepassage/applications/services/security.py",
    "safepassage/applications/services/identity.py",
    "safepassage/applications/services/decisions.py",
    "safepassage/applications/security_providers.py",
    "safepassage/applications/models/checks.py",
    "safepassage/applications/lifecycle.py",
    "safepassage/applications/grants.py",
    "safepassage/applications/figures.py",
)


def is_applicant_facing(occurrences: Iterable[tuple[str, str]]) -> bool:
    return any(
        path.startswith(APPLICANT_FACING) and not path.startswith(STAFF_ONLY)
        for path, _line in occurrences
    )
