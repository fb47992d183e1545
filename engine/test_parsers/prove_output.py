"""Perl's prove: 'Files=2, Tests=7, ...' plus per-file 'Tests: 5 Failed: 1' report lines."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "prove"

_TOTALS = re.compile(r"^Files=\d+, Tests=(?P<tests>\d+),.*\n(?:Result: \w+)?", re.MULTILINE)
_FILE_FAILED = re.compile(r"\(Wstat: .*?Tests: \d+ Failed: (\d+)\)")
_SKIPPED = re.compile(r"\(less (\d+) skipped subtests?")
_PARSE_ERRORS = re.compile(r"^\s+Parse errors:", re.MULTILINE)


def detect(text: str) -> bool:
    return "Files=" in text and "Tests=" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    start = 0
    for match in _TOTALS.finditer(text):
        region = text[start : match.start()]
        failed = sum(int(n) for n in _FILE_FAILED.findall(region))
        # prove only reports skips for files that did not pass cleanly
        skipped = sum(int(n) for n in _SKIPPED.findall(region))
        errors = len(_PARSE_ERRORS.findall(region))
        passed = max(int(match["tests"]) - failed - skipped, 0)
        summary = TestSummary(framework=NAME, passed=passed, failed=failed, skipped=skipped, errors=errors)
        found.append(SummaryMatch(summary, match.end()))
        start = match.end()
    return found
