"""Audit events of the policy gate."""

from safepassage.audit.registry import Level, register

EVALUATED = register(
    "policy.evaluated", "The policy gate was asked about a consequential action", Level.SIGNIFICANT
)
BLOCKED = register(
    "policy.blocked", "The policy gate refused a consequential action", Level.SIGNIFICANT
)
OVERRIDDEN = register(
    "policy.overridden",
    "A senior approved an action the policy gate said needs approval",
    Level.SIGNIFICANT,
)
