"""Jest's footer: 'Tests:       1 failed, 1 skipped, 1 todo, 4 passed, 7 total'."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "jest"

_TESTS_LINE = re.compile(r"^Tests:[ \t]+(?P<body>.*?)(?P<total>\d+) total[ \t]*$", re.MULTILINE)
_SUITE_FAILED_TO_RUN = re.compile(r"^\s*● Test suite failed to run", re.MULTILINE)
_ITEM = re.compile(r"(\d+) ([a-z]+)")
_FIELD = {"passed": "passed", "failed": "failed", "skipped": "skipped", "todo": "skipped"}


def detect(text: str) -> bool:
    return "Tests:" in text and "Test Suites:" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    start = 0
    for match in _TESTS_LINE.finditer(text):
        counts = dict.fromkeys(("passed", "failed", "skipped"), 0)
        for number, word in _ITEM.findall(match["body"]):
            if word in _FIELD:
                counts[_FIELD[word]] += int(number)
        # a suite that cannot even load (import error) has no tests but is still a failure
        errors = len(_SUITE_FAILED_TO_RUN.findall(text, start, match.start()))
        found.append(SummaryMatch(TestSummary(framework=NAME, errors=errors, **counts), match.end()))
        start = match.end()
    return found
