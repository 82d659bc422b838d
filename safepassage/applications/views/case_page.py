"""The case view as a decision maker sees it: the application, its family, documents, timeline,
and the panels of the checks and the decision. Rendered by the case view itself and again by a
panel's action when its form has errors to show."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safepassage.applications import selectors
from safepassage.applications.models import Application
from safepassage.applications.summary import answer_sections
from safepassage.applications.views.biometrics_panel import biometrics_panel
from safepassage.applications.views.decisions_panel import decision_panel
from safepassage.applications.views.identity_panel import identity_panel
from safepassage.applications.views.security_panel import security_panel
from safepassage.audit.models import AuditEvent
from safepassage.audit.registry import lookup
from safepassage.audit.services import record_read
from safepassage.core.actors import request_actor


def _timeline(application_ids: list[int]) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(
        object_type="applications.application", object_id__in=[str(pk) for pk in application_ids]
    ).order_by("occurred_at", "sequence")
    return [
        {
            "when": event.occurred_at,
            "what": lookup(event.action).description,
            "who": event.actor_label,
        }
        for event in events
    ]


def case_redirect(application: Application, anchor: str = "") -> HttpResponse:
    """Back to the case view after a panel's action; ``anchor`` is the panel's, like
    "#identity-check"."""
    return redirect(reverse("applications:case", args=[application.public_id]) + anchor)


def case_page(
    request: HttpRequest, application: Application, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The page; ``forms`` are a panel's bound forms with errors, to show instead of empty ones."""
    actor = request_actor(request)
    record_read(actor=actor, target=application, purpose="case")
    family = list(application.family_members.order_by("pk"))
    context: dict[str, Any] = {
        "application": application,
        "sections": answer_sections(application.answers),
        "family": family,
        "documents": selectors.live_documents(application),
        "timeline": _timeline([application.pk, *(member.pk for member in family)]),
        "consents": application.consents.select_related("organisation"),
    }
    # The panels of the checks and the decision, each from its own module.
    context.update(identity_panel(actor, application))
    context.update(security_panel(actor, application))
    context.update(biometrics_panel(actor, application))
    context.update(decision_panel(actor, application))
    context.update(forms)
    return render(request, "applications/staff/case.html", context, status=status)
