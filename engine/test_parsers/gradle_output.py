"""Gradle's test task: '7 tests completed, 2 failed, 1 skipped' (printed only when a test fails;
an all-green Gradle build prints no counts: read build/test-results/**/*.xml instead)."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "gradle"

_LINE = re.compile(
    r"^(?P<completed>\d+) tests? completed(?:, (?P<failed>\d+) failed)?"
    r"(?:, (?P<skipped>\d+) skipped)?[ \t]*$",
    re.MULTILINE,
)

_BUILD_END = re.compile(r"^BUILD (?:SUCCESSFUL|FAILED)\b.*$", re.MULTILINE)


def detect(text: str) -> bool:
    return " completed" in text


def parse(text: str) -> list[SummaryMatch]:
    # each subproject's test task prints its own line; one build sums them
    build_ends = [match.end() for match in _BUILD_END.finditer(text)]
    found: list[SummaryMatch] = []
    group: list[re.Match[str]] = []
    for match in _LINE.finditer(text):
        if group and any(group[-1].end() < end < match.start() for end in build_ends):
            found.append(_sum(group))
            group = []
        group.append(match)
    if group:
        found.append(_sum(group))
    return found


def _sum(group: list[re.Match[str]]) -> SummaryMatch:
    failed = sum(int(m["failed"] or 0) for m in group)
    skipped = sum(int(m["skipped"] or 0) for m in group)
    passed = max(sum(int(m["completed"]) for m in group) - failed - skipped, 0)
    summary = TestSummary(framework=NAME, passed=passed, failed=failed, skipped=skipped)
    return SummaryMatch(summary, group[-1].end())
