"""The security check: the watch list an administrator loads, running the check on an
application, and an officer's adjudication of a possible match.

The watch list CSV (UTF-8, a UTF-8 byte-order mark is fine; one header row, then one row per
listed person; the columns in any order)::

    reference,family_name,given_names,date_of_birth,nationality
    WL-0001,Haddad,Mohammed Ali,1985-03-02,SYR
    WL-0002,Al-Rashid,,1979,

- reference: the list owner's own reference for the entry, unique in the file (up to 60
  characters). Evidence quotes it instead of the name.
- family_name: required, in any script (up to 150 characters).
- given_names, date_of_birth (YYYY, YYYY-MM or YYYY-MM-DD) and nationality (ISO 3166-1 alpha-3,
  like SYR) may be empty.

A file is loaded whole or not at all: every row is checked first, and any problem refuses the
file, naming the rows (counted as a spreadsheet shows them, the header being row 1). The new list
then becomes the current one; earlier lists are kept, so a past check's evidence can still be
traced to the list it was run against.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from safepassage.applications import events
from safepassage.applications.lifecycle import lock_undecided, require_undecided
from safepassage.applications.models import (
    Application,
    ApplicationCheck,
    ApplicationStatus,
    CheckKind,
    CheckOutcome,
    ScreeningResult,
    WatchList,
    WatchListEntry,
    WatchListKey,
)
from safepassage.applications.security_providers import (
    ScreeningSubject,
    entry_keys,
    get_security_provider,
    name_words,
)
from safepassage.applications.services.check_runs import start_run
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human
from safepassage.core.countries import is_country
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import required_reason
from safepassage.people.matching.normalise import BadDate, parse_date_of_birth

# --- The watch list ---------------------------------------------------------------------------

WATCH_LIST_COLUMNS = ("reference", "family_name", "given_names", "date_of_birth", "nationality")
REQUIRED_COLUMNS = frozenset(WATCH_LIST_COLUMNS)
MAXIMUM_BYTES = 5 * 1024 * 1024
MAXIMUM_ROWS = 200_000
# A file with many bad rows names the first ones and says how many more there are.
ERRORS_SHOWN = 20
REFERENCE_LENGTH = 60
NAME_LENGTH = 150
# Rows are written in batches of this many.
BATCH = 5_000
MINIMUM_REASON = 20


@dataclass(frozen=True)
class _Row:
    row_number: int
    reference: str
    family_name: str
    given_names: str
    date_of_birth: str
    nationality: str


class _Problems:
    """Problems with a file, the first ERRORS_SHOWN of them in words."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.count = 0

    def add(self, message: Any) -> None:
        self.count += 1
        if len(self.messages) < ERRORS_SHOWN:
            self.messages.append(message)

    def raise_if_any(self) -> None:
        if not self.count:
            return
        shown = list(self.messages)
        if self.count > len(shown):
            more = self.count - len(shown)
            shown.append(
                ngettext(
                    "And %(count)s more problem. Fix them all and upload the file again.",
                    "And %(count)s more problems. Fix them all and upload the file again.",
                    more,
                )
                % {"count": more}
            )
        _refuse(*shown)


def _refuse(*messages: Any) -> None:
    raise ValidationFailed(
        _("The watch list was not loaded. Nothing has changed."),
        field="file",
        extra={"fields": {"file": list(messages)}},
    )


def too_large_message() -> str:
    return _("The file must be smaller than %(megabytes)s MB.") % {
        "megabytes": MAXIMUM_BYTES // (1024 * 1024)
    }


def _text(content: bytes) -> str:
    if not content.strip():
        _refuse(_("The file is empty."))
    if len(content) > MAXIMUM_BYTES:
        _refuse(too_large_message())
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        _refuse(
            _(
                "The file must be saved as CSV UTF-8. Line %(line)s has characters that are not "
                "UTF-8: in your spreadsheet, choose Save as, then CSV UTF-8."
            )
            % {"line": line}
        )
    if "\x00" in text:
        _refuse(_("The file is not a CSV file: it has binary content."))
    return text


def _header(cells: list[str]) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    problems = []
    expected = ", ".join(WATCH_LIST_COLUMNS)
    unknown = [
        column or str(_("a column with no name"))
        for column in columns
        if column not in REQUIRED_COLUMNS
    ]
    missing = [column for column in WATCH_LIST_COLUMNS if column not in columns]
    repeated = sorted({column for column in columns if columns.count(column) > 1})
    if unknown:
        problems.append(
            _("Row 1 (the header) has columns this list does not have: %(columns)s.")
            % {"columns": ", ".join(unknown)}
        )
    if missing:
        problems.append(
            _("Row 1 (the header) is missing the columns: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if repeated:
        problems.append(
            _("Row 1 (the header) has a column more than once: %(columns)s.")
            % {"columns": ", ".join(repeated)}
        )
    if problems:
        problems.append(
            _("The first row must name the columns: %(columns)s.") % {"columns": expected}
        )
        _refuse(*problems)
    return columns


def _clean(value: str) -> str:
    return " ".join(value.split())


def _parse_rows(text: str) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            _refuse(_("The file is empty."))
        assert header is not None
        columns = _header(header)
        problems = _Problems()
        rows: list[_Row] = []
        seen: dict[str, int] = {}
        row_number = 1
        data_rows = 0
        for cells in reader:
            row_number += 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            data_rows += 1
            if data_rows > MAXIMUM_ROWS:
                _refuse(
                    _("The file has more than %(rows)s rows. Split the list, or ask for help.")
                    % {"rows": f"{MAXIMUM_ROWS:,}"}
                )
            if len(cells) != len(columns):
                problems.add(
                    _("Row %(row)s has %(found)s values; it must have %(expected)s.")
                    % {"row": row_number, "found": len(cells), "expected": len(columns)}
                )
                continue
            values = dict(zip(columns, cells, strict=True))
            # A repeated reference is reported even when its rows have other problems too.
            reference = _clean(values["reference"])
            key = reference.casefold()
            if key in seen:
                problems.add(
                    _("Row %(row)s: the reference %(reference)s is also on row %(first)s.")
                    % {"row": row_number, "reference": reference[:60], "first": seen[key]}
                )
            elif key:
                seen[key] = row_number
            row = _validated_row(row_number, values, problems)
            if row is not None and seen.get(key) == row_number:
                rows.append(row)
    except csv.Error:
        _refuse(
            _(
                "Line %(line)s is not valid CSV, for example a quote mark that is never closed. "
                "Check the file was saved as CSV."
            )
            % {"line": reader.line_num}
        )
    problems.raise_if_any()
    if not rows:
        _refuse(_("The file has a header row but no entries."))
    return rows


def _validated_row(row_number: int, values: dict[str, str], problems: _Problems) -> _Row | None:
    reference = _clean(values["reference"])
    family_name = _clean(values["family_name"])
    given_names = _clean(values["given_names"])
    born = values["date_of_birth"].strip()
    nationality = values["nationality"].strip().upper()
    before = problems.count
    context = {"row": row_number}
    if not reference:
        problems.add(_("Row %(row)s: enter the reference.") % context)
    elif len(reference) > REFERENCE_LENGTH:
        problems.add(
            _("Row %(row)s: the reference must be %(length)s characters or fewer.")
            % {**context, "length": REFERENCE_LENGTH}
        )
    if not family_name:
        problems.add(_("Row %(row)s: enter the family name.") % context)
    elif len(family_name) > NAME_LENGTH or len(given_names) > NAME_LENGTH:
        problems.add(
            _("Row %(row)s: a name must be %(length)s characters or fewer.")
            % {**context, "length": NAME_LENGTH}
        )
    elif not name_words(family_name):
        problems.add(_("Row %(row)s: the family name has no letters.") % context)
    if born:
        try:
            parse_date_of_birth(born)
        except BadDate:
            problems.add(
                _(
                    "Row %(row)s: the date of birth %(date)s must be a real date written "
                    "YYYY, YYYY-MM or YYYY-MM-DD, like 1985-03-02."
                )
                % {**context, "date": born[:20]}
            )
    if nationality and not is_country(nationality):
        problems.add(
            _(
                "Row %(row)s: %(code)s is not a country code. Use the ISO 3166-1 three-letter "
                "code, like SYR or AFG, or leave it empty."
            )
            % {**context, "code": nationality[:10]}
        )
    if problems.count > before:
        return None
    return _Row(row_number, reference, family_name, given_names, born, nationality)


def watch_list_load(*, actor: Actor, filename: str, content: bytes) -> WatchList:
    """Load a watch list from a CSV file (see the module's docstring): all of it, or nothing.
    The new list becomes the current one; the previous one is kept."""
    require_permission(actor, Perm.MANAGE_VISA_SCHEME)
    user = human(actor)
    rows = _parse_rows(_text(content))
    digest = hashlib.sha256(content).hexdigest()
    try:
        with transaction.atomic():
            previous = WatchList.objects.select_for_update().filter(is_current=True).first()
            if previous is not None:
                previous.is_current = False
                previous.save(update_fields=["is_current"])
            watch_list = WatchList.objects.create(
                filename=(filename or "watch-list.csv")[-200:],
                sha256=digest,
                entry_count=len(rows),
                uploaded_by=user,
                uploaded_at=timezone.now(),
                is_current=True,
            )
            _store_entries(watch_list, rows)
            audit_append(
                actor=actor,
                event=events.WATCH_LIST_LOADED,
                target=watch_list,
                payload={
                    "entries": len(rows),
                    "bytes": len(content),
                    "sha256": digest,
                    "previous": previous.pk if previous else None,
                },
            )
    except IntegrityError as error:
        # Two lists loaded at the same moment: the one-current-list constraint stops the second.
        raise Conflict(
            _("Another watch list was loaded at the same time. Reload the page and check it.")
        ) from error
    return watch_list


def _store_entries(watch_list: WatchList, rows: list[_Row]) -> None:
    """Write the entries and their keys. A list of 100,000 entries has some 300,000 keys, so
    they go in as plain batched INSERTs: building a model instance for each row would take the
    ORM half a minute; these take seconds (benchmarks/security_screening.py)."""
    _insert(
        WatchListEntry,
        (
            "watch_list",
            "row_number",
            "list_reference",
            "given_names",
            "family_name",
            "date_of_birth",
            "nationality",
        ),
        [
            (
                watch_list.pk,
                row.row_number,
                row.reference,
                row.given_names,
                row.family_name,
                row.date_of_birth,
                row.nationality,
            )
            for row in rows
        ],
    )
    entry_ids = dict(
        WatchListEntry.objects.filter(watch_list=watch_list).values_list("row_number", "pk")
    )
    _insert(
        WatchListKey,
        ("watch_list", "entry", "key"),
        [
            (watch_list.pk, entry_ids[row.row_number], key)
            for row in rows
            for key in entry_keys(row.given_names, row.family_name)
        ],
    )


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.column)


def _insert(
    model: type[models.Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model, never from the file; values are parameters.
    statement = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(statement, rows[start : start + BATCH])


# --- Running the check ------------------------------------------------------------------------


def screening_subject(application: Application) -> ScreeningSubject:
    """The applicant as the provider screens them: names as answered (both scripts), date of
    birth and nationality."""
    name = application.answers.get("name", {}) or {}
    return ScreeningSubject(
        given_names=str(name.get("given_names", "") or ""),
        family_name=str(name.get("family_name", "") or ""),
        given_names_original=str(name.get("given_names_original", "") or ""),
        family_name_original=str(name.get("family_name_original", "") or ""),
        date_of_birth=application.date_of_birth or "",
        nationality=application.nationality or "",
    )


_OUTCOME_OF_RESULT = {
    ScreeningResult.CLEAR: CheckOutcome.PASSED,
    ScreeningResult.MATCH: CheckOutcome.FAILED,
    # An officer must look at a possible match and decide.
    ScreeningResult.POSSIBLE_MATCH: CheckOutcome.PENDING,
}


def _check_closed(application: Application) -> Conflict:
    return Conflict(
        _("The security check can only be run or decided while the application is open.")
        if application.status != ApplicationStatus.DECIDED
        else _("This application has been decided, so its security check cannot change.")
    )


def security_check_run(*, actor: Actor, application: Application) -> ApplicationCheck:
    """Screen the applicant with the configured provider and record the result as the current
    security check (an earlier run is superseded, and kept). A clear result passes; a match
    fails; a possible match waits for an officer's adjudication."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    require_undecided(application, _check_closed)
    provider = get_security_provider()
    # Screened before anything is locked: a government system may take a while to answer, and
    # if it cannot answer, nothing has changed.
    report = provider.screen(screening_subject(application))
    with transaction.atomic():
        locked = lock_undecided(application, _check_closed)
        check, previous = start_run(
            locked,
            CheckKind.SECURITY,
            actor=actor,
            outcome=_OUTCOME_OF_RESULT[ScreeningResult(report.result)],
            provider=provider.name[:60],
            result=report.result,
            evidence={
                "list_version": report.list_version,
                "watch_list_id": report.watch_list_id,
                "entries_compared": report.entries_compared,
                "hits": [hit.as_evidence() for hit in report.hits],
            },
        )
        audit_append(
            actor=actor,
            event=events.SECURITY_CHECK_RUN,
            target=locked,
            payload={
                "check": check.pk,
                "provider": check.provider,
                "result": check.result,
                "outcome": check.outcome,
                "hits": len(report.hits),
                "list_version": report.list_version,
                "superseded": previous.pk if previous else None,
            },
        )
    application.status = locked.status
    return check


def security_check_adjudicate(
    *, actor: Actor, check: ApplicationCheck, outcome: str, reason: str
) -> ApplicationCheck:
    """An officer's decision on a possible match: the applicant is not the listed person
    (passed) or is (failed), and why."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    user = human(actor, _("Only an officer can decide a possible match."))
    if outcome not in (CheckOutcome.PASSED, CheckOutcome.FAILED):
        raise ValidationFailed(
            _("Choose whether the applicant passes or fails the security check."),
            field="outcome",
        )
    reason = required_reason(
        reason,
        _("Explain your decision in at least %(count)s characters.") % {"count": MINIMUM_REASON},
        minimum=MINIMUM_REASON,
    )
    with transaction.atomic():
        application = lock_undecided(check.application, _check_closed)
        locked = ApplicationCheck.objects.select_for_update().get(pk=check.pk)
        if locked.kind != CheckKind.SECURITY:
            raise Conflict(_("This is not a security check."))
        if not locked.is_current:
            raise Conflict(
                _("The security check has been run again since. Decide the newest result.")
            )
        if locked.resolved_at is not None:
            raise Conflict(_("This possible match has already been decided."))
        if (
            locked.result != ScreeningResult.POSSIBLE_MATCH
            or locked.outcome != CheckOutcome.PENDING
        ):
            raise Conflict(_("Only a possible match needs an officer's decision."))
        locked.outcome = outcome
        locked.resolved_by = user
        locked.resolved_at = timezone.now()
        locked.resolution_reason = reason
        locked.save(update_fields=["outcome", "resolved_by", "resolved_at", "resolution_reason"])
        audit_append(
            actor=actor,
            event=events.SECURITY_CHECK_ADJUDICATED,
            target=application,
            payload={"check": locked.pk, "outcome": outcome},
        )
    return locked
