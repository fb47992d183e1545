"""Vitest's footer: ' Test Files  1 failed | 1 passed (2)' / '      Tests  1 failed | 4 passed (5)'."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "vitest"

_FOOTER = re.compile(
    r"^[ \t]*Test Files[ \t]+.*\n[ \t]*Tests[ \t]+(?P<body>.*?)\((?P<total>\d+)\)[ \t]*$"
    r"(?:\n[ \t]*Errors[ \t]+(?P<errors>\d+) errors?.*$)?",
    re.MULTILINE,
)
_ITEM = re.compile(r"(\d+) ([a-z]+)")
_FIELD = {"passed": "passed", "failed": "failed", "skipped": "skipped", "todo": "skipped"}


def detect(text: str) -> bool:
    return "Test Files" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _FOOTER.finditer(text):
        counts = dict.fromkeys(("passed", "failed", "skipped"), 0)
        for number, word in _ITEM.findall(match["body"]):
            if word in _FIELD:
                counts[_FIELD[word]] += int(number)
        errors = int(match["errors"] or 0)
        found.append(SummaryMatch(TestSummary(framework=NAME, errors=errors, **counts), match.end()))
    return found
