"""The biometrics panel of the case view: the appointment that stands and the earlier ones, the
button that asks the applicant to book, and the form that records attendance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.biometrics import booking_state
from safepassage.applications.lifecycle import can_move
from safepassage.applications.models import Application, ApplicationStatus
from safepassage.core.actors import Actor
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm


class AttendanceForm(forms.Form):
    attended = forms.ChoiceField(
        label=_("Did the applicant come to the appointment?"),
        choices=[("yes", _("Yes, biometrics were taken")), ("no", _("No, they did not attend"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the applicant came")},
    )
    enrolment_reference = forms.CharField(
        label=_("Enrolment reference"),
        help_text=_("From the biometrics system's receipt. Leave empty if they did not attend."),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
        error_messages={
            "max_length": _("The enrolment reference must be 6 to 40 letters, numbers and dashes")
        },
    )


def biometrics_panel(actor: Actor, application: Application) -> dict[str, Any]:
    """The panel's data (one query: the application's appointments with their centres)."""
    state = booking_state(application)
    appointment = state.appointment
    now = timezone.now()
    return {
        "biometrics": {
            "appointment": appointment,
            "earlier": list(reversed(state.earlier)),
            "needed": state.needed,
            "rebooks_used": state.rebooks_used,
            "can_request": (
                has_permission(actor, Perm.DECIDE_APPLICATION)
                and can_move(application, ApplicationStatus.BIOMETRICS_NEEDED)
            ),
            "can_record": (
                has_permission(actor, Perm.RECORD_BIOMETRICS)
                and appointment is not None
                and state.is_pending
                and appointment.starts_at <= now
            ),
            "not_started": appointment is not None and appointment.starts_at > now,
        },
        "biometrics_attendance_form": AttendanceForm(),
    }
