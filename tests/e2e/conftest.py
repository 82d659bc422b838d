"""Real-browser tests: Debian's chromium driven by Playwright, every page checked by axe-core."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from safepassage.core.services.demo import demo_current_code
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH

# Playwright's sync API runs an event loop in this thread; Django must still be allowed to
# use the database from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core is injected as an inline script, which our CSP rightly forbids; the CSP itself
    # is checked in its own test, with this switched off.
    return {**browser_context_args, "bypass_csp": True, "viewport": {"width": 1280, "height": 900}}


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert problems == [], f"axe found problems on {page.url}:\n" + "\n".join(problems)


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator would show (the next one when this one is spent)."""
    return demo_current_code(device)


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("Security code").fill(code_for(device))
    page.get_by_role("button", name="Sign in").click()
