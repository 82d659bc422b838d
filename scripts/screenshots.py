"""Screenshot pages of a running Safe Passage, on a desktop and a 360 px phone, in English and
Arabic, so that a person can look at what was built.

    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--user admin] PATH...

Signs in as a demo account (seed_demo) and writes PNGs into screenshots/.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
# Playwright runs an event loop in this thread; the database is only read between its calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
django.setup()

from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from playwright.sync_api import Page, ViewportSize, sync_playwright  # noqa: E402

from safepassage.core.services.demo import DEMO_PASSWORD, demo_current_code  # noqa: E402
from tests.browser import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402

VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 360, "height": 740},
}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.fill("#id_token", demo_current_code(device))
    page.click("button[type=submit]")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--anonymous", action="store_true", help="do not sign in")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        for view_name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            if not args.anonymous:
                sign_in(page, args.base, args.user)
            for language in ("en", "ar"):
                page.goto(f"{args.base}/language/{language}/?next=/")
                for path in args.paths:
                    page.goto(f"{args.base}{path}")
                    time.sleep(0.2)
                    slug = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                    target = out / f"{slug}-{language}-{view_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
