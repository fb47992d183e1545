"""node --test with the spec reporter: closing 'ℹ tests 7' / 'ℹ pass 3' / 'ℹ fail 2' ... lines."""

from engine.test_parsers.counter_block import counter_block_pattern, summary_from_counters
from engine.test_parsers.summary_match import SummaryMatch

NAME = "node:test"

_BLOCK = counter_block_pattern("ℹ")


def detect(text: str) -> bool:
    return "ℹ tests " in text


def parse(text: str) -> list[SummaryMatch]:
    found = []
    for match in _BLOCK.finditer(text):
        summary = summary_from_counters(match.group(), NAME)
        if summary is not None:
            found.append(SummaryMatch(summary, match.end()))
    return found
