"""CTest: '75% tests passed, 3 tests failed out of 12', then the lists of tests that did not
run (skipped/disabled) and that FAILED ('(Failed)', '(Not Run)', '(Timeout)')."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "ctest"

_TOTALS = re.compile(
    r"^\d+% tests passed, (?P<failed>\d+) tests? failed out of (?P<total>\d+)[ \t]*$",
    re.MULTILINE,
)
_LISTED = re.compile(r"^\s+\d+ - \S.* \((?P<reason>[^()]+)\)[ \t]*$", re.MULTILINE)
# ctest counts these as failed; they never ran to completion, so they are errors here
_ERROR_REASONS = {"Not Run", "Timeout"}
_SKIP_REASONS = {"Skipped", "Disabled"}


def detect(text: str) -> bool:
    return "tests passed, " in text


def parse(text: str) -> list[SummaryMatch]:
    matches = list(_TOTALS.finditer(text))
    found = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        reasons = [m["reason"] for m in _LISTED.finditer(text, match.end(), end)]
        skipped = sum(reason in _SKIP_REASONS for reason in reasons)
        errors = sum(reason in _ERROR_REASONS for reason in reasons)
        failed = max(int(match["failed"]) - errors, 0)
        # ctest counts a skipped test among the passed ones
        passed = max(int(match["total"]) - failed - errors - skipped, 0)
        summary = TestSummary(framework=NAME, passed=passed, failed=failed, skipped=skipped, errors=errors)
        found.append(SummaryMatch(summary, match.end()))
    return found
