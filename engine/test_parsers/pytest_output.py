"""pytest's final line: '=== 2 failed, 7 passed, 1 skipped in 0.03s ===' (also -q, xdist, tox, nox)."""

import re

from engine.test_parsers.summary_match import SummaryMatch
from engine.test_summary import TestSummary

NAME = "pytest"

_FINAL_LINE = re.compile(
    r"^(?:=+ )?(?P<body>(?:\d+ [a-z]+(?:, )?)+|no tests ran)"
    r" in \d+(?:\.\d+)?s(?: \([\d:.]+\))?(?: =+)?[ \t]*$",
    re.MULTILINE,
)
_ITEM = re.compile(r"(\d+) ([a-z]+)")
# xfailed counts as skipped: an expected failure neither passes nor fails the suite
_FIELD = {
    "passed": "passed",
    "xpassed": "passed",
    "failed": "failed",
    "skipped": "skipped",
    "xfailed": "skipped",
    "error": "errors",
    "errors": "errors",
}


def detect(text: str) -> bool:
    return " in " in text and (
        "passed" in text or "failed" in text or "error" in text or "no tests ran" in text or "skipped" in text
    )


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _FINAL_LINE.finditer(text):
        counts = dict.fromkeys(("passed", "failed", "skipped", "errors"), 0)
        words = _ITEM.findall(match["body"])
        if match["body"] != "no tests ran" and not any(word in _FIELD for _, word in words):
            continue  # e.g. "3 warnings in 0.1s" alone is not a test result line
        for number, word in words:
            if word in _FIELD:
                counts[_FIELD[word]] += int(number)
        found.append(SummaryMatch(TestSummary(framework=NAME, **counts), match.end()))
    return found
