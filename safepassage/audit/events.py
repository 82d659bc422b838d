"""Audit events of the audit app itself."""

from safepassage.audit.registry import Level, register

RECORD_READ = register(
    "audit.record_read", "A person's record was opened and read", Level.SIGNIFICANT
)
CHAIN_VERIFIED = register(
    "audit.chain_verified", "The audit chain was verified end to end", Level.SECURITY
)
VERIFICATION_REQUESTED = register(
    "audit.verification_requested",
    "A verification of the audit chain was requested",
    Level.SECURITY,
)
