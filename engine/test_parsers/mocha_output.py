"""Mocha's spec reporter footer: '  3 passing (5ms)' / '  2 pending' / '  2 failing'."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "mocha"

_FOOTER = re.compile(
    r"^[ \t]+(?P<passed>\d+) passing \([\d.]+m?s\)[ \t]*$"
    r"(?:\n[ \t]+(?P<pending>\d+) pending[ \t]*$)?"
    r"(?:\n[ \t]+(?P<failing>\d+) failing[ \t]*$)?",
    re.MULTILINE,
)


def detect(text: str) -> bool:
    return " passing (" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _FOOTER.finditer(text):
        summary = TestSummary(
            framework=NAME,
            passed=int(match["passed"]),
            skipped=int(match["pending"] or 0),
            failed=int(match["failing"] or 0),
        )
        found.append(SummaryMatch(summary, match.end()))
    return found
