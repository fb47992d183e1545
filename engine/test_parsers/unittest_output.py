"""Python unittest: 'Ran 10 tests in 0.001s' then 'OK' or 'FAILED (failures=1, errors=2, ...)'."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "unittest"

_RAN = re.compile(
    r"^Ran (?P<ran>\d+) tests? in [\d.]+s\n+(?P<status>OK|FAILED|NO TESTS RAN)"
    r"(?: \((?P<details>[^)\n]*)\))?[ \t]*$",
    re.MULTILINE,
)
_DETAIL = re.compile(r"([a-z ]+)=(\d+)")


def detect(text: str) -> bool:
    return "Ran " in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _RAN.finditer(text):
        details = {key.strip(): int(value) for key, value in _DETAIL.findall(match["details"] or "")}
        failed = details.get("failures", 0)
        errors = details.get("errors", 0)
        # expected failures are reported as skipped, as for pytest's xfailed
        skipped = details.get("skipped", 0) + details.get("expected failures", 0)
        passed = max(int(match["ran"]) - failed - errors - skipped, 0)
        summary = TestSummary(framework=NAME, passed=passed, failed=failed, skipped=skipped, errors=errors)
        found.append(SummaryMatch(summary, match.end()))
    return found
