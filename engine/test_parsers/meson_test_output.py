"""meson test's closing table: 'Ok: 5', 'Expected Fail: 1', 'Fail: 1', 'Unexpected Pass: 0',
'Skipped: 1', 'Timeout: 0' (newer versions add 'Error:')."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "meson test"

_KEYS = r"Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout|Error"
_TABLE = re.compile(
    rf"^Ok:[ \t]+\d+[ \t]*(?:\n(?:{_KEYS}):[ \t]+\d+[ \t]*)+$",
    re.MULTILINE,
)


def detect(text: str) -> bool:
    return "Ok:" in text and "Fail:" in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _TABLE.finditer(text):
        counts = {key: int(value) for key, value in re.findall(rf"^({_KEYS}):\s+(\d+)", match.group(), re.M)}
        if "Fail" not in counts:
            continue
        summary = TestSummary(
            framework=NAME,
            # a should_fail test that failed did what it was written to do
            passed=counts.get("Ok", 0) + counts.get("Expected Fail", 0),
            failed=counts["Fail"] + counts.get("Unexpected Pass", 0),
            skipped=counts.get("Skipped", 0),
            errors=counts.get("Timeout", 0) + counts.get("Error", 0),
        )
        found.append(SummaryMatch(summary, match.end()))
    return found
