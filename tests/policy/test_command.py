"""The `policy_check` contract: JSON on stdout and exit 0 for a verdict; exit 2 and one line on
stderr for bad input. Run as a real process, as other tools run it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from tests.policy.support import CLEAR, merge

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", "policy_check", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=environment,
    )


@pytest.fixture
def facts_file(tmp_path):
    def write(document: object, name: str = "facts.json") -> str:
        path = tmp_path / name
        path.write_text(document if isinstance(document, str) else json.dumps(document))
        return str(path)

    return write


def test_a_verdict_is_json_on_stdout_with_exit_0(facts_file):
    facts = merge(
        CLEAR,
        {
            "person": {"date_of_birth": "2010-04-01", "claimed_minor": True},
            "detention": {"detained": True, "facility": "removal_centre", "hours": 3},
        },
    )
    result = run("--action", "detain", "--facts", facts_file(facts), "--on", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    verdict = json.loads(result.stdout)
    assert set(verdict) == {"action", "on", "outcome", "findings", "referrals_required", "basis"}
    assert (verdict["action"], verdict["on"], verdict["outcome"]) == (
        "detain",
        "2026-11-23",
        "blocked",
    )
    assert verdict["findings"][0]["rule"] == "child-detention"
    assert verdict["findings"][0]["citation"]["url"].startswith("https://www.legislation.gov.uk/")


def test_facts_from_stdin_and_the_date_from_the_facts():
    result = run("--action", "grant_visa", "--facts", "-", stdin=json.dumps({"on": "2026-02-01"}))
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["on"] == "2026-02-01"
    assert verdict["outcome"] == "blocked"
    assert (
        "Missing facts: checks.identity, checks.security." in verdict["findings"][0]["explanation"]
    )


def test_on_overrides_the_date_in_the_facts():
    result = run(
        "--action",
        "grant_visa",
        "--facts",
        "-",
        "--on",
        "2026-03-01",
        stdin=json.dumps({"on": "2026-02-01"}),
    )
    assert json.loads(result.stdout)["on"] == "2026-03-01"


def test_bad_input_exits_2_with_one_line_on_stderr():
    result = run("--action", "detain", "--facts", "-", stdin='{"colour": 1}')
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "CommandError: facts.colour is not a fact the gate knows"
    ]


def call(*args: str, stdin: str) -> CommandError:
    """The command in this process (faster); the exit code is the CommandError's returncode."""
    with mock.patch("sys.stdin", io.StringIO(stdin)), pytest.raises(CommandError) as refused:
        call_command("policy_check", *args, "--facts", "-", stdout=io.StringIO())
    return refused.value


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--action", "fly"], "{}", "unknown action 'fly'"),
        (["--action", "detain"], "{not json", "the facts are not valid JSON"),
        (["--action", "detain"], '{"colour": 1}', "facts.colour is not a fact the gate knows"),
        (
            ["--action", "detain"],
            '{"vulnerabilities": [{"category": "sadness"}]}',
            "vulnerabilities[0].category must be one of",
        ),
        (
            ["--action", "detain"],
            '{"person": {"date_of_birth": "2010-02-30"}}',
            "is not a real date",
        ),
        (
            ["--action", "detain"],
            '{"detention": {"hours": "ten"}}',
            "detention.hours must be a number",
        ),
        (["--action", "detain", "--on", "2026-02-30"], "{}", "--on must be a real date"),
        (["--action", "detain"], "[1, 2]", "facts must be an object"),
    ],
)
def test_each_kind_of_bad_input_exits_2_with_one_line(args, stdin, message):
    error = call(*args, stdin=stdin)
    assert error.returncode == 2
    assert "\n" not in str(error)
    assert message in str(error)


def test_a_missing_file_is_bad_input(tmp_path):
    with pytest.raises(CommandError, match="no facts file at") as refused:
        call_command("policy_check", "--action", "detain", "--facts", str(tmp_path / "no.json"))
    assert refused.value.returncode == 2


def test_missing_arguments_are_a_usage_error():
    result = run("--action", "detain")
    assert result.returncode == 2
    assert "--facts" in result.stderr
