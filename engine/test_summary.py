"""Test counts parsed from observed output, and the verdict that gates a claim of success."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

_COUNT_FIELDS = ("passed", "failed", "skipped", "errors")


class Verdict(BaseModel):
    """Whether a summary is good enough to call the run a success, and why in one line."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    reason: str


class TestSummary(BaseModel):
    """Counts of one test run (or several merged). Expected failures count as skipped."""

    __test__ = False  # keeps pytest from collecting this class as a test case
    model_config = ConfigDict(frozen=True)

    framework: str
    passed: int = Field(default=0, ge=0)
    failed: int = Field(default=0, ge=0)
    skipped: int = Field(default=0, ge=0)
    errors: int = Field(default=0, ge=0)
    total: int = Field(default=0, ge=0)
    # "packages" when the tool only reports per-package results (plain `go test`)
    unit: Literal["tests", "packages"] = "tests"

    @model_validator(mode="before")
    @classmethod
    def _fill_total(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("total") is None:
            data = {**data, "total": sum(int(data.get(name) or 0) for name in _COUNT_FIELDS)}
        return data

    @model_validator(mode="after")
    def _check_total(self) -> TestSummary:
        counted = self.passed + self.failed + self.skipped + self.errors
        if self.total != counted:
            raise ValueError(f"total {self.total} != passed+failed+skipped+errors {counted}")
        return self

    @property
    def executed(self) -> int:
        """Tests that actually ran (skipped ones did not)."""
        return self.total - self.skipped

    @property
    def pass_rate(self) -> float:
        """Share of executed tests that passed; 0.0 when nothing ran."""
        return self.passed / self.executed if self.executed else 0.0

    def describe(self) -> str:
        """Short human line such as '7 passed, 2 failed, 1 error, 2 skipped (pytest)'."""
        parts = [f"{self.passed} passed", f"{self.failed} failed"]
        if self.errors:
            parts.append(f"{self.errors} error" + ("s" if self.errors != 1 else ""))
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        noun = "" if self.unit == "tests" else f" {self.unit}"
        return ", ".join(parts) + f"{noun} ({self.framework})"

    def verdict(self, threshold: float = 0.8, min_tests: int = 1) -> Verdict:
        """ok when at least `min_tests` ran and the pass rate reaches `threshold`."""
        unit = self.unit
        skipped_note = f" ({self.skipped} skipped)" if self.skipped else ""
        if self.passed + self.failed == 0:
            # only errors (e.g. a collection error) or skips: no test body ever ran
            notes = [f"{self.errors} error" + ("s" if self.errors != 1 else "")] * bool(self.errors)
            notes += [f"{self.skipped} skipped"] * bool(self.skipped)
            detail = f" ({', '.join(notes)})" if notes else ""
            return Verdict(ok=False, reason=f"no {unit} ran{detail}")
        if self.executed < min_tests:
            return Verdict(
                ok=False,
                reason=f"only {self.executed} {unit} ran{skipped_note} < {min_tests} required",
            )
        percent = f"{self.pass_rate:.0%}"
        head = f"{self.passed} of {self.executed} {unit} passed ({percent})"
        if self.pass_rate < threshold:
            return Verdict(ok=False, reason=f"{head} < {threshold:.0%}{skipped_note}")
        return Verdict(ok=True, reason=f"{head} >= {threshold:.0%}{skipped_note}")


def merge_summaries(summaries: Iterable[TestSummary]) -> TestSummary | None:
    """Add up several runs (e.g. two pytest invocations); None when given nothing."""
    items = list(summaries)
    if not items:
        return None
    units = {item.unit for item in items}
    if len(units) > 1:
        raise ValueError("cannot add test counts to package counts")
    frameworks = list(dict.fromkeys(item.framework for item in items))
    return TestSummary(
        framework="+".join(frameworks),
        unit=units.pop(),
        **{name: sum(getattr(item, name) for item in items) for name in _COUNT_FIELDS},
    )
