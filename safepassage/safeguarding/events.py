"""Audit events of the safeguarding app. Payloads hold ids and codes, never personal data."""

from safepassage.audit.registry import Level, register

INDICATOR_RAISED = register(
    "safeguarding.indicator_raised", "A vulnerability indicator was raised", Level.SIGNIFICANT
)
