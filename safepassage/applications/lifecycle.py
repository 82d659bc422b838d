"""The states of a visa application and the only moves between them.

    draft ──▶ received ──▶ checks_in_progress ◀──▶ biometrics_needed
                 │                 │                      │
                 └────────┬────────┴──────────────────────┘
                          ▼
               decided  or  withdrawn   (both final)

Every move goes through ``move``: it refuses a move the table does not allow, with a clear
message, and records the move on the application's timeline. Services lock the application
(select_for_update) before they call it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationStatus,
    StatusChange,
)
from safepassage.core.actors import Actor, actor_label
from safepassage.core.errors import Conflict

S = ApplicationStatus

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.CHECKS_IN_PROGRESS, S.BIOMETRICS_NEEDED, S.DECIDED, S.WITHDRAWN}),
    S.CHECKS_IN_PROGRESS: frozenset({S.BIOMETRICS_NEEDED, S.DECIDED, S.WITHDRAWN}),
    S.BIOMETRICS_NEEDED: frozenset({S.CHECKS_IN_PROGRESS, S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class IllegalTransition(Conflict):
    code = "illegal_transition"

    def __init__(self, application: Application, to_status: str) -> None:
        super().__init__(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": ApplicationStatus(application.status).label,
                "to": ApplicationStatus(to_status).label,
            }
        )
        self.from_status = application.status
        self.to_status = to_status


def can_move(application: Application, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(application.status, frozenset())


def move(application: Application, to_status: str, *, actor: Actor) -> Application:
    """Change the status of a locked application and put the change on its timeline."""
    if not can_move(application, to_status):
        raise IllegalTransition(application, to_status)
    previous = application.status
    application.status = to_status
    application.save(update_fields=["status", "updated_at"])
    StatusChange.objects.create(
        application=application,
        from_status=previous,
        to_status=to_status,
        actor_label=actor_label(actor),
    )
    return application


def require_undecided(application: Application, refusal: Callable[[Application], Conflict]) -> None:
    """Checks and decisions happen only while an application is undecided; ``refusal`` says, in
    the caller's words, why not."""
    if application.status not in UNDECIDED_STATUSES:
        raise refusal(application)


def lock_undecided(
    application: Application, refusal: Callable[[Application], Conflict]
) -> Application:
    """The application, locked for the rest of the transaction, and still undecided."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    require_undecided(locked, refusal)
    return locked
