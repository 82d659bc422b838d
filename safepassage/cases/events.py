"""Audit events of the cases app. Payloads hold ids and codes, never personal data."""

from safepassage.audit.registry import Level, register

ARRIVAL_REGISTERED = register(
    "cases.arrival_registered", "An arrival was registered at a location", Level.SIGNIFICANT
)
CASE_OPENED = register("cases.case_opened", "An asylum case was opened", Level.SIGNIFICANT)
CASE_TRANSITION = register(
    "cases.transition", "An asylum case moved from one status to another", Level.SIGNIFICANT
)
STAGE_ALLOCATED = register(
    "cases.stage_allocated", "A stage of a case was allocated to an officer", Level.ROUTINE
)
STAGE_SEPARATION_WAIVED = register(
    "cases.stage_separation_waived",
    "A manager let one officer do consecutive steps of cases at a location",
    Level.SIGNIFICANT,
)
STAGE_SEPARATION_WAIVER_REVOKED = register(
    "cases.stage_separation_waiver_revoked",
    "A manager ended a waiver of stage separation",
    Level.SIGNIFICANT,
)
