"""Audit events of the workforce app. Payloads hold ids and codes, never personal data."""

from safepassage.audit.registry import Level, register

ACCREDITATION_GRANTED = register(
    "workforce.accreditation_granted", "An accreditation was recorded", Level.SIGNIFICANT
)
ACCREDITATION_WITHDRAWN = register(
    "workforce.accreditation_withdrawn", "An accreditation was withdrawn", Level.SIGNIFICANT
)
