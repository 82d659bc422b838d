"""Audit events of the people app."""

from safepassage.audit.registry import Level, register

PERSON_REGISTERED = register(
    "people.person_registered",
    "A person was registered with their first identity",
    Level.SIGNIFICANT,
)
IDENTITY_CORRECTED = register(
    "people.identity_corrected",
    "A corrected identity superseded the current one",
    Level.SIGNIFICANT,
)
MATCH_DECIDED = register(
    "people.match_decided",
    "An officer decided whether two records are one person",
    Level.SIGNIFICANT,
)
PEOPLE_MERGED = register(
    "people.merged", "Two records were merged as one person", Level.SIGNIFICANT
)
MERGE_UNDONE = register(
    "people.merge_undone", "A merge of two people was undone", Level.SIGNIFICANT
)
BIOMETRIC_RECORDED = register(
    "people.biometric_recorded", "A biometric enrolment reference was recorded", Level.SIGNIFICANT
)
