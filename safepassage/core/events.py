"""Audit events of the core app: accounts, sign-in and locations."""

from safepassage.audit.registry import Level, register

USER_CREATED = register("core.user_created", "A staff account was created", Level.SECURITY)
USER_UPDATED = register(
    "core.user_updated", "A staff account's name, email, roles or locations changed", Level.SECURITY
)
USER_DEACTIVATED = register(
    "core.user_deactivated", "A staff account was deactivated", Level.SECURITY
)
USER_REACTIVATED = register(
    "core.user_reactivated", "A staff account was reactivated", Level.SECURITY
)
PASSWORD_LINK_SENT = register(
    "core.password_link_sent", "A link to set a password was sent", Level.SECURITY
)
PASSWORD_SET = register("core.password_set", "A user set their password", Level.SECURITY)
TWO_FACTOR_ENROLLED = register(
    "core.two_factor_enrolled", "A user set up two-factor authentication", Level.SECURITY
)
TWO_FACTOR_RESET = register(
    "core.two_factor_reset", "A user's two-factor authentication was reset", Level.SECURITY
)
ACCOUNT_UNLOCKED = register(
    "core.account_unlocked", "A locked account was unlocked by an administrator", Level.SECURITY
)
SIGNED_IN = register("core.signed_in", "A user signed in with two factors", Level.SECURITY)
SIGNED_OUT = register("core.signed_out", "A user signed out", Level.SECURITY)
LOCATION_CREATED = register("core.location_created", "A location was created", Level.SIGNIFICANT)
LOCATION_UPDATED = register("core.location_updated", "A location was changed", Level.SIGNIFICANT)
LOCATION_DEACTIVATED = register(
    "core.location_deactivated", "A location was deactivated", Level.SIGNIFICANT
)
LOCATION_REACTIVATED = register(
    "core.location_reactivated", "A location was reactivated", Level.SIGNIFICANT
)
API_TOKEN_ISSUED = register("core.api_token_issued", "An API token was issued", Level.SECURITY)
API_TOKEN_REVOKED = register("core.api_token_revoked", "An API token was revoked", Level.SECURITY)
