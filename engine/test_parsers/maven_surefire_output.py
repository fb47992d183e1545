"""Maven Surefire/Failsafe: the aggregate 'Tests run: 7, Failures: 1, Errors: 1, Skipped: 1'
line under 'Results:' (one per module), not the per-class lines that add 'Time elapsed'."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "maven"

_COUNTS = (
    r"Tests run: (?P<run>\d+), Failures: (?P<failures>\d+), "
    r"Errors: (?P<errors>\d+), Skipped: (?P<skipped>\d+)"
)
_AGGREGATE = re.compile(rf"^(?:\[\w+\] )?{_COUNTS}[ \t]*$", re.MULTILINE)
_PER_CLASS = re.compile(rf"^(?:\[\w+\] )?{_COUNTS}, Time elapsed.*$", re.MULTILINE)
_NEW_BUILD = re.compile(r"^(?:\[INFO\] )?Scanning for projects\.\.\.", re.MULTILINE)


def detect(text: str) -> bool:
    return "Tests run: " in text and "Failures: " in text


def _summary(matches: list[re.Match[str]]) -> TestSummary:
    run = sum(int(m["run"]) for m in matches)
    failed = sum(int(m["failures"]) for m in matches)
    errors = sum(int(m["errors"]) for m in matches)
    skipped = sum(int(m["skipped"]) for m in matches)
    passed = max(run - failed - errors - skipped, 0)
    return TestSummary(framework=NAME, passed=passed, failed=failed, errors=errors, skipped=skipped)


def parse(text: str) -> list[SummaryMatch]:
    starts = [match.start() for match in _NEW_BUILD.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    found = []
    # each Maven build sums its modules' Results blocks; per-class lines only as a fallback
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        matches = list(_AGGREGATE.finditer(text, start, end))
        if not matches:
            matches = list(_PER_CLASS.finditer(text, start, end))
        if matches:
            found.append(SummaryMatch(_summary(matches), matches[-1].end()))
    return found
