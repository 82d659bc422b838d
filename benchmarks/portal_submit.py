"""Complete portal submissions against the running app: gunicorn on PostgreSQL, over loopback.

    .venv/bin/python benchmarks/portal_submit.py [--applicants 400] [--clients 16]
        [--api 1000] [--retry-rate 0.2] [--workers 4]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres]

It makes a throwaway database beside the one in --database-url, migrates it, and starts gunicorn
on it. Then, with concurrent clients, each applicant:

1. signs in with a one-time code (read from the text messages the file backend writes),
2. starts a draft and answers every question page, one request each,
3. uploads a photo of a document (a real JPEG, re-encoded by the server),
4. sends the application from the check-your-answers page.

Sending is timed on its own: every client sends at once, and a share of them (--retry-rate)
send the same form again at the same moment, as a double tap or a retry after a timeout does.
Then partner systems send whole applications through POST /api/applications/, with the same
share of retries under the same Idempotency-Key.

Afterwards the database is counted: every applicant must have exactly one sent application
(none lost, none duplicated), and every API key exactly one.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import requests
from PIL import Image
from stats import describe

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUBMIT_KEY = re.compile(r'name="key" value="([0-9a-f]+)"')
REFERENCE = re.compile(r'data-testid="reference">(SP-[A-Z0-9-]+)<')
CODE = re.compile(r"\b(\d{6})\b")

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("name", {"given_names": "Amal", "family_name": "Haddad", "given_names_original": "أمل"}),
    ("date-of-birth", {"date_of_birth_month": "3", "date_of_birth_year": "1991"}),
    ("nationality", {"nationality": "SYR"}),
    ("location", {"current_country": "LBN"}),
    ("family", {"children_applying": "no"}),
    ("protection", {"reasons": ["political_opinion"], "explanation": "Detained for protesting."}),
    ("vulnerability", {"vulnerabilities": ["torture"]}),
    ("contact", {"phone": "+964 770 000 0000"}),
    ("language", {"preferred_language": "ar"}),
    ("document", {"document_kind": "passport"}),
    ("document-details", {"number": "N1234567", "issuing_country": "SYR"}),
    ("declaration", {"intends_to_claim_asylum": "on", "information_is_true": "on"}),
]

API_BODY = {
    "applicant_contact": "",
    "language": "ar",
    "consent": {"script_read": True},
    "answers": {
        "name": {"given_names": "Amal", "family_name": "Haddad"},
        "date-of-birth": {"date_of_birth": "1991-03"},
        "nationality": {"nationality": "SYR"},
        "location": {"current_country": "LBN"},
        "family": {"children_applying": "no"},
        "protection": {"reasons": ["political_opinion"], "explanation": "Detained."},
        "vulnerability": {"vulnerabilities": []},
        "contact": {"phone": "+964 770 000 0000"},
        "language": {"preferred_language": "ar"},
        "document": {"document_kind": "none"},
        "declaration": {"intends_to_claim_asylum": True, "information_is_true": True},
    },
}


def cpu_seconds() -> float:
    """CPU time of this process (the clients), so the share they take of the cores is known."""
    times = os.times()
    return times.user + times.system


def photo() -> bytes:
    image = Image.effect_noise((900, 600), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class SmsInbox:
    """The codes the file backend wrote, by phone number."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.seen: set[str] = set()
        self.latest: dict[str, str] = {}
        self.lock = threading.Lock()

    def code_for(self, phone: str, *, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for path in sorted(self.directory.glob("*.txt")):
                    if path.name in self.seen:
                        continue
                    header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
                    match = CODE.search(body)
                    if match is None:
                        continue  # still being written: read it again next time
                    self.seen.add(path.name)
                    self.latest[header.removeprefix("To: ").strip()] = match.group(1)
                if phone in self.latest:
                    return self.latest.pop(phone)
            time.sleep(0.01)
        raise RuntimeError(f"no code arrived for {phone}")


class Timings:
    def __init__(self) -> None:
        self.by_kind: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def add(self, kind: str, milliseconds: float) -> None:
        with self.lock:
            self.by_kind[kind].append(milliseconds)


def timed(timings: Timings, kind: str, call: Callable[[], requests.Response]) -> requests.Response:
    started = time.perf_counter()
    response = call()
    timings.add(kind, (time.perf_counter() - started) * 1000)
    return response


class Applicant:
    def __init__(self, number: int, inbox: SmsInbox, timings: Timings, image: bytes) -> None:
        self.phone = f"+96477{number:08d}"
        self.http = requests.Session()
        self.inbox, self.timings, self.image = inbox, timings, image
        self.csrf = ""
        self.application_url = ""
        self.submit_key = ""

    def _post(self, kind: str, path: str, data: Any, **kwargs: Any) -> requests.Response:
        response = timed(
            self.timings,
            kind,
            lambda: self.http.post(
                BASE + path,
                data={**data, "csrfmiddlewaretoken": self.csrf},
                headers={"Referer": BASE + path},
                allow_redirects=False,
                timeout=60,
                **kwargs,
            ),
        )
        if response.status_code not in (200, 302):
            raise RuntimeError(f"{kind}: HTTP {response.status_code}")
        return response

    def draft(self) -> None:
        page = timed(self.timings, "page", lambda: self.http.get(BASE + "/apply/sign-in/"))
        self.csrf = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        if self._post("sign-in", "/apply/sign-in/", {"contact": self.phone}).status_code != 302:
            raise RuntimeError("the code request was refused")
        code = self.inbox.code_for(self.phone)
        self._post("code", "/apply/sign-in/code/", {"code": code})
        started = self._post("start", "/apply/applications/new/", {})
        self.application_url = started.headers["Location"].rsplit("/", 2)[0]
        for slug, answer in ANSWERS:
            response = self._post("answer", f"{self.application_url}/{slug}/", answer)
            if response.status_code != 302:
                raise RuntimeError(f"answer {slug} refused")
        uploads = f"{self.application_url}/uploads/"
        self._post(
            "upload",
            uploads,
            {"action": "upload", "kind": "passport"},
            files={"file": ("passport.jpg", self.image, "image/jpeg")},
        )
        self._post("answer", uploads, {"action": "continue"})
        check = timed(
            self.timings, "page", lambda: self.http.get(BASE + f"{self.application_url}/check/")
        )
        self.submit_key = SUBMIT_KEY.search(check.text).group(1)  # type: ignore[union-attr]

    def submit(self) -> str:
        response = self._post("submit", f"{self.application_url}/check/", {"key": self.submit_key})
        sent = self.http.get(BASE + response.headers["Location"], timeout=60)
        return REFERENCE.search(sent.text).group(1)  # type: ignore[union-attr]


@contextmanager
def bench_database(url: str) -> Iterator[str]:
    name = f"safepassage_bench_{secrets.token_hex(3)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(env: dict[str, str], clients: int) -> str:
    """Migrate, and make a partner organisation with an API token; returns the token."""
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    script = (
        "from safepassage.core.actors import SystemActor\n"
        "from safepassage.core.services.users import user_create\n"
        "from safepassage.core.services.api_tokens import api_token_issue\n"
        "from safepassage.applications.services.partners import "
        "partner_organisation_save, partner_member_add\n"
        "from safepassage.core.services.locations import location_create\n"
        "actor = SystemActor('benchmark')\n"
        "office = location_create(actor=actor, code='bench', name='Bench office', kind='office')\n"
        "user = user_create(actor=actor, username='bench-partner', full_name='Bench Partner', "
        "email='bench@example.org', roles=['partner_caseworker'], locations=[office], "
        "send_invitation=False)\n"
        "organisation = partner_organisation_save(actor=actor, code='bench', name='Bench')\n"
        "partner_member_add(actor=actor, user=user, organisation=organisation)\n"
        "print(api_token_issue(actor=actor, user=user, name='bench', days=1).secret)\n"
    )
    made = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if made.returncode != 0:
        raise RuntimeError(made.stderr)
    return made.stdout.strip().splitlines()[-1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int) -> Iterator[None]:
    process = subprocess.Popen(
        [
            GUNICORN,
            "safepassage.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(600):
            try:
                if requests.get(f"{BASE}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def submit_with_retries(
    applicants: list[Applicant], clients: int, retry_rate: float, rng: random.Random
) -> tuple[float, dict[str, list[str]], int]:
    """Everyone sends; some send the same form twice at once. Returns the wall time, the
    references each applicant was shown, and how many requests failed."""
    shown: dict[str, list[str]] = defaultdict(list)
    failures = 0
    lock = threading.Lock()
    jobs = [(applicant, 0) for applicant in applicants]
    jobs += [(applicant, 1) for applicant in applicants if rng.random() < retry_rate]
    rng.shuffle(jobs)

    def send(job: tuple[Applicant, int]) -> None:
        nonlocal failures
        applicant, _attempt = job
        try:
            reference = applicant.submit()
        except Exception:  # a failed request is counted, and the database has the last word
            with lock:
                failures += 1
            return
        with lock:
            shown[applicant.phone].append(reference)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, jobs))
    return time.perf_counter() - started, shown, failures


def api_submissions(
    token: str, count: int, clients: int, retry_rate: float, rng: random.Random, timings: Timings
) -> tuple[float, list[str], int]:
    keys = [f"bench-{number:08d}" for number in range(count)]
    jobs = list(keys) + [key for key in keys if rng.random() < retry_rate]
    rng.shuffle(jobs)
    failures = 0
    lock = threading.Lock()
    local = threading.local()

    def send(key: str) -> None:
        nonlocal failures
        if not hasattr(local, "http"):
            local.http = requests.Session()
            local.http.headers["Authorization"] = f"Bearer {token}"
        body = {**API_BODY, "applicant_contact": f"+96478{int(key[6:]):08d}"}
        response = timed(
            timings,
            "api",
            lambda: local.http.post(
                f"{BASE}/api/applications/",
                data=json.dumps(body),
                headers={"Content-Type": "application/json", "Idempotency-Key": key},
                timeout=60,
            ),
        )
        if response.status_code not in (200, 201):
            with lock:
                failures += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, jobs))
    return time.perf_counter() - started, keys, failures


def count_in_database(database_url: str) -> dict[str, Any]:
    with psycopg.connect(database_url) as db:
        per_applicant = db.execute(
            "SELECT a.contact, count(*) FILTER (WHERE p.status <> 'draft'), count(*) "
            "FROM applications_applicant a LEFT JOIN applications_application p "
            "ON p.applicant_id = a.id GROUP BY a.contact"
        ).fetchall()
        per_key = db.execute(
            "SELECT submission_key, count(*) FROM applications_application "
            "WHERE submission_key LIKE 'api:%%' GROUP BY submission_key"
        ).fetchall()
        references = {
            row[0]
            for row in db.execute(
                "SELECT reference FROM applications_application WHERE reference IS NOT NULL"
            )
        }
    return {"per_applicant": per_applicant, "per_key": per_key, "references": references}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--api", type=int, default=1000)
    parser.add_argument("--retry-rate", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    image = photo()
    with tempfile.TemporaryDirectory() as var, bench_database(args.database_url) as url:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SAFEPASSAGE_VAR_DIR": var,
            "SECRET_KEY": secrets.token_urlsafe(40),
            "SMS_BACKEND": "safepassage.core.sms.FileSmsBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "WARNING",
            # Every simulated applicant comes from 127.0.0.1; real ones come from many networks.
            "APPLICANT_CODES_PER_ADDRESS_HOUR": "1000000",
        }
        token = prepare(env, args.clients)
        inbox = SmsInbox(Path(var) / "sms")
        timings = Timings()
        print(
            f"gunicorn, {args.workers} sync workers, PostgreSQL; {args.clients} concurrent clients;"
            f" {os.cpu_count()} cores shared by server, database and clients"
        )
        with gunicorn(env, args.workers):
            applicants = [Applicant(n, inbox, timings, image) for n in range(args.applicants)]
            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(lambda applicant: applicant.draft(), applicants))
            drafting = time.perf_counter() - started
            requests_made = sum(len(v) for v in timings.by_kind.values())
            print(
                f"\nDrafting: {args.applicants} applicants signed in, answered "
                f"{len(ANSWERS)} pages and uploaded a {len(image) // 1024} KB photo in "
                f"{drafting:.1f} s ({requests_made / drafting:.0f} requests/s)"
            )
            for kind in ("sign-in", "code", "answer", "upload", "page"):
                print(f"  {kind:<8} {describe(timings.by_kind[kind], decimals=0)}")

            client_cpu = cpu_seconds()
            wall, shown, failures = submit_with_retries(
                applicants, args.clients, args.retry_rate, rng
            )
            client_share = (cpu_seconds() - client_cpu) / (wall * (os.cpu_count() or 1))
            sends = len(timings.by_kind["submit"])
            print(
                f"\nSending: {args.applicants} applications, {sends} POSTs (with "
                f"{sends - args.applicants} retries) in {wall:.2f} s = "
                f"{args.applicants / wall:.0f} submissions/s; {failures} requests failed"
            )
            print(f"  submit   {describe(timings.by_kind['submit'], decimals=0)}")
            print(f"  the benchmark's own clients used {client_share:.0%} of the machine's CPU")

            api_wall, keys, api_failures = api_submissions(
                token, args.api, args.clients, args.retry_rate, rng, timings
            )
            posts = len(timings.by_kind["api"])
            print(
                f"\nAPI: {args.api} applications, {posts} POSTs (with {posts - args.api} "
                f"retries) in {api_wall:.2f} s = {args.api / api_wall:.0f} submissions/s; "
                f"{api_failures} requests failed"
            )
            print(f"  api      {describe(timings.by_kind['api'], decimals=0)}")

        counted = count_in_database(url)
        portal = [row for row in counted["per_applicant"] if row[0].startswith("+96477")]
        lost = sum(1 for _contact, sent, _all in portal if sent == 0)
        duplicated = sum(sent - 1 for _contact, sent, _all in portal if sent > 1)
        mismatched = sum(
            1
            for references in shown.values()
            for reference in references
            if reference not in counted["references"]
        )
        inconsistent = sum(1 for references in shown.values() if len(set(references)) > 1)
        api_lost = len(keys) - len(counted["per_key"])
        api_duplicated = sum(count - 1 for _key, count in counted["per_key"] if count > 1)
        print(
            f"\nPortal: lost {lost}, duplicated {duplicated}; references shown but not stored "
            f"{mismatched}; applicants shown two different references {inconsistent}"
        )
        print(f"API: lost {api_lost}, duplicated {api_duplicated}")
        if lost or duplicated or mismatched or inconsistent or api_lost or api_duplicated:
            sys.exit(1)


if __name__ == "__main__":
    main()
