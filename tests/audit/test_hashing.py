"""The canonical form and the hash, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.audit.hashing import GENESIS_HASH, EventContent, canonical_json, format_timestamp

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6))
def test_canonical_json_does_not_depend_on_key_order(payload):
    reordered = dict(reversed(list(payload.items())))
    assert canonical_json(payload) == canonical_json(reordered)


def test_canonical_json_keeps_other_scripts_as_they_are():
    assert canonical_json({"name": "محمد", "b": 1, "a": "ገብረመድኅን"}) == (
        '{"a":"ገብረመድኅን","b":1,"name":"محمد"}'
    )


def test_timestamps_are_utc_whatever_the_zone():
    london_summer = datetime(2026, 7, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    assert format_timestamp(london_summer) == "2026-07-01T12:00:00.000000Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_timestamp(datetime(2026, 7, 1, 12, 0))


def _content(**overrides):
    values = {
        "stream": "change",
        "sequence": 1,
        "occurred_at": datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
        "actor_id": 7,
        "actor_label": "user:7",
        "action": "core.user_created",
        "object_type": "core.user",
        "object_id": "9",
        "payload_json": '{"roles":["auditor"]}',
        "prev_hash": GENESIS_HASH,
    }
    values.update(overrides)
    return EventContent(**values)


@pytest.mark.parametrize(
    "change",
    [
        {"sequence": 2},
        {"actor_id": 8},
        {"action": "core.user_updated"},
        {"object_id": "10"},
        {"payload_json": '{"roles":["administrator"]}'},
        {"prev_hash": "1" * 64},
        {"occurred_at": datetime(2026, 11, 24, 12, 0, 0, 1, tzinfo=UTC)},
    ],
)
def test_every_field_is_covered_by_the_hash(change):
    assert _content().digest() != _content(**change).digest()


def test_hash_is_stable():
    assert _content().digest() == _content().digest()
    assert len(_content().digest()) == 64
