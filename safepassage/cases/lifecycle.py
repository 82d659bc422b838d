"""Moving an asylum case through its state machine (cases/models.py draws it).

``transition_case`` is the only way a case's status changes. It takes a case locked by the
caller (``lock_case``), refuses a transition the machine does not allow from the current status
with a clear message, checks the permission the transition names, fires it, and records it:
a ``CaseTransition`` row (when, who, the gate's evaluation if one was asked) and an audit event,
in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed, has_transition_perm

from safepassage.audit.services import audit_append
from safepassage.cases import events
from safepassage.cases.models import AsylumCase, CaseStatus, CaseTransition
from safepassage.core.actors import Actor, actor_label, staff_user
from safepassage.core.errors import Conflict, PermissionDenied
from safepassage.policy.models import PolicyEvaluation

TRANSITIONS = (
    "schedule_screening",
    "start_screening",
    "adjourn_screening",
    "complete_screening",
    "route_case",
    "decide",
    "close",
)


class IllegalCaseTransition(Conflict):
    code = "illegal_transition"

    def __init__(self, case: AsylumCase, name: str) -> None:
        super().__init__(
            _("A case that is “%(status)s” cannot do this: %(transition)s.")
            % {
                "status": CaseStatus(case.status).label,
                "transition": transition_label(name),
            }
        )
        self.from_status = case.status
        self.transition = name


def _meta(name: str) -> Any:
    return getattr(AsylumCase, name)._django_fsm


def transition_label(name: str) -> str:
    transitions = _meta(name).transitions
    return str(next(iter(transitions.values())).custom["label"])


def transition_permission(name: str) -> str:
    return str(next(iter(_meta(name).transitions.values())).permission)


def policy_action(name: str, *, route: str = "") -> str | None:
    """The gate's action for a transition, if it is consequential (for routing and deciding,
    on the route the case takes)."""
    custom = next(iter(_meta(name).transitions.values())).custom
    if "policy_action" in custom:
        return str(custom["policy_action"])
    by_route = custom.get("policy_action_by_route", {})
    return by_route.get(route)


def allowed_from(status: str) -> list[str]:
    """The transitions the machine allows from ``status``."""
    return [name for name in TRANSITIONS if _meta(name).has_transition(status)]


def lock_case(case: AsylumCase) -> AsylumCase:
    return AsylumCase.objects.select_for_update().get(pk=case.pk)


def transition_case(
    case: AsylumCase,
    name: str,
    *,
    actor: Actor,
    evaluation: PolicyEvaluation | None = None,
    note: str = "",
) -> CaseTransition:
    """Fire transition ``name`` on a locked case and record it (see the module)."""
    if name not in TRANSITIONS:
        raise ValueError(f"{name} is not a transition of an asylum case")
    method = getattr(case, name)
    if not can_proceed(method):
        raise IllegalCaseTransition(case, name)
    if not has_transition_perm(method, actor):  # type: ignore[arg-type]
        raise PermissionDenied()
    previous = case.status
    method()
    now = timezone.now()
    case.status_changed_at = now
    case.save(update_fields=["status", "status_changed_at", "route"])
    change = CaseTransition.objects.create(
        case=case,
        name=name,
        from_status=previous,
        to_status=case.status,
        actor=staff_user(actor),
        actor_label=actor_label(actor),
        at=now,
        evaluation=evaluation,
        note=note,
    )
    audit_append(
        actor=actor,
        event=events.CASE_TRANSITION,
        target=case,
        payload={
            "transition": name,
            "from": previous,
            "to": case.status,
            "evaluation": evaluation.pk if evaluation else None,
        },
    )
    return change
