"""Words for the gate's codes, for people."""

from django.utils.translation import gettext_lazy as _

EFFECT_LABELS = {
    "block": _("Blocks"),
    "needs_approval": _("Needs approval"),
    "refer": _("Needs a referral"),
    "warn": _("Warning"),
}
EFFECT_TAGS = {
    "block": "govuk-tag--red",
    "needs_approval": "govuk-tag--orange",
    "refer": "govuk-tag--blue",
    "warn": "govuk-tag--grey",
}
OUTCOME_LABELS = {
    "allowed": _("Allowed"),
    "needs_approval": _("Needs approval"),
    "blocked": _("Blocked"),
}
OUTCOME_TAGS = {
    "allowed": "govuk-tag--green",
    "needs_approval": "govuk-tag--orange",
    "blocked": "govuk-tag--red",
}
REFERRAL_LABELS = {
    "age_assessment": _("An age assessment"),
    "local_authority": _("A referral to the local authority (child in need)"),
    "rule35_report": _("A Rule 35 medical report"),
    "detention_review": _("A review of the detention"),
    "nrm_referral": _("A referral to the National Referral Mechanism"),
    "nrm_referral_or_duty_to_notify": _(
        "A referral to the National Referral Mechanism (with consent) or a Duty to Notify report"
    ),
}
ACTION_LABELS = {
    "detain": _("Detain"),
    "continue_detention": _("Continue detention"),
    "route_inadmissibility": _("Route to inadmissibility consideration"),
    "decide_inadmissible": _("Decide the claim inadmissible"),
    "remove": _("Remove from the UK"),
    "start_screening_interview": _("Start a screening interview"),
    "complete_screening": _("Complete a screening"),
    "grant_visa": _("Grant a safe-passage visa"),
    "refuse_visa": _("Refuse a safe-passage visa"),
    "close_case": _("Close a case"),
}
