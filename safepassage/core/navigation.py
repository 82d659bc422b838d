"""What each signed-in member of staff sees in the service navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazily translated string
    url_name: str
    permission: str | None = None

    @property
    def href(self) -> str:
        return reverse(self.url_name)


NAV_ITEMS = (
    NavItem(_("Home"), "core:home"),
    NavItem(_("Asylum cases"), "cases:list", Perm.VIEW_CASE),
    NavItem(_("Visa applications"), "applications:queue", Perm.VIEW_APPLICATION),
    NavItem(_("Decisions waiting"), "applications:decisions_waiting", Perm.DECIDE_APPLICATION),
    NavItem(_("Find a visa grant"), "applications:grant_find", Perm.FIND_GRANT),
    NavItem(_("Visa figures"), "applications:figures", Perm.VIEW_VISA_FIGURES),
    NavItem(_("Visa application centres"), "applications:centres", Perm.MANAGE_VISA_SCHEME),
    NavItem(_("Watch list"), "applications:watch_list", Perm.MANAGE_VISA_SCHEME),
    NavItem(_("Applications you help with"), "partner:home", Perm.HELP_APPLICANTS),
    NavItem(_("People"), "people:list", Perm.VIEW_PERSON),
    NavItem(_("Your declarations"), "screening:declarations", Perm.SIGN_INTERPRETER_DECLARATION),
    NavItem(_("Questionnaire"), "screening:questionnaires", Perm.MANAGE_QUESTIONNAIRE),
    NavItem(_("Interpreters"), "screening:interpreters", Perm.MANAGE_INTERPRETERS),
    NavItem(_("Accreditations"), "workforce:accreditations", Perm.MANAGE_ACCREDITATIONS),
    NavItem(_("Stage separation"), "cases:waivers", Perm.WAIVE_STAGE_SEPARATION),
    NavItem(_("Users"), "core:user_list", Perm.VIEW_STAFF),
    NavItem(_("Locations"), "core:location_list", Perm.MANAGE_LOCATIONS),
    NavItem(_("API tokens"), "core:api_token_list", Perm.ISSUE_API_TOKENS),
    NavItem(_("Audit log"), "audit:event_list", Perm.VIEW_AUDIT_LOG),
    NavItem(_("Rules"), "policy:rule_list"),
    NavItem(_("Check an action"), "policy:check_action", Perm.CHECK_ACTION),
)


def navigation_for(user, current_path: str) -> list[dict[str, object]]:
    """The items this user may open; the one whose address is the longest start of the current
    path is marked active (so /applications/figures/ is "Visa figures", not "Visa applications")."""
    items = []
    for item in NAV_ITEMS:
        if item.permission and not has_permission(user, item.permission):
            continue
        items.append({"label": item.label, "href": item.href, "active": False})
    matching = [
        entry
        for entry in items
        if (
            current_path == entry["href"]
            if entry["href"] == "/"
            else current_path.startswith(str(entry["href"]))
        )
    ]
    if matching:
        max(matching, key=lambda entry: len(str(entry["href"])))["active"] = True
    return items
