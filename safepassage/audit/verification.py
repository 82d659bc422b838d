"""Walking the chains and checking every link."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from safepassage.audit.hashing import GENESIS_HASH, EventContent
from safepassage.audit.models import AuditEvent, ChainHead, Stream


@dataclass(frozen=True)
class BadEvent:
    stream: str
    sequence: int
    event_id: int | None
    problem: str

    def describe(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "the chain head"
        return f"{where} ({self.stream} #{self.sequence}): {self.problem}"


@dataclass
class VerificationResult:
    events_checked: int = 0
    heads: dict[str, dict[str, object]] = field(default_factory=dict)
    first_bad: BadEvent | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad is None


def check_links(
    stream: str, events: Iterable[AuditEvent], head: ChainHead | None
) -> tuple[int, BadEvent | None, tuple[int, str]]:
    """Check one stream's events in sequence order; return (count, first bad, last link)."""
    expected_sequence, expected_prev = 1, GENESIS_HASH
    checked = 0
    for event in events:
        checked += 1
        if event.sequence != expected_sequence:
            return (
                checked,
                BadEvent(
                    stream,
                    event.sequence,
                    event.pk,
                    f"sequence jumps from {expected_sequence - 1} to {event.sequence}: "
                    "events are missing",
                ),
                (expected_sequence - 1, expected_prev),
            )
        if event.prev_hash != expected_prev:
            return (
                checked,
                BadEvent(stream, event.sequence, event.pk, "does not link to the event before it"),
                (expected_sequence - 1, expected_prev),
            )
        content: EventContent = event.content()
        if content.digest() != event.hash:
            return (
                checked,
                BadEvent(stream, event.sequence, event.pk, "its content does not match its hash"),
                (expected_sequence - 1, expected_prev),
            )
        expected_sequence, expected_prev = event.sequence + 1, event.hash
    last = (expected_sequence - 1, expected_prev)
    if head is not None and (head.sequence, head.hash) != last:
        return (
            checked,
            BadEvent(
                stream,
                head.sequence,
                None,
                f"the head says #{head.sequence} but the chain ends at #{last[0]}: "
                "events were removed from the end",
            ),
            last,
        )
    return checked, None, last


def verify_chains() -> VerificationResult:
    result = VerificationResult()
    heads = {head.stream: head for head in ChainHead.objects.all()}
    for stream in Stream.values:
        events = (
            AuditEvent.objects.filter(stream=stream).order_by("sequence").iterator(chunk_size=2000)
        )
        checked, bad, (last_sequence, last_hash) = check_links(stream, events, heads.get(stream))
        result.events_checked += checked
        result.heads[stream] = {"sequence": last_sequence, "hash": last_hash}
        if bad is not None and result.first_bad is None:
            result.first_bad = bad
    return result
