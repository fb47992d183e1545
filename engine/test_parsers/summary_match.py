"""What a framework parser returns: one run's summary and where it ends in the text."""

from dataclasses import dataclass

from engine.test_summary import TestSummary


@dataclass(frozen=True)
class SummaryMatch:
    summary: TestSummary
    end: int  # offset in the cleaned text just after the run's final summary line
