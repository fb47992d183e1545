"""The attempt's history as the model sees it: bounded however long the run gets.

The last K cycles appear as one-line summaries and only the latest result is shown in full, so the
prompt size stops growing after K cycles.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, Field

from engine.agent.repetition import command_key

SUMMARY_CHARS = 240


class CycleRecord(BaseModel):
    cycle: int
    thoughts: str = ""
    command_name: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: str
    ok: bool = True
    # the knowledge model's condensed result, when it wrote one (else the result's last lines are shown)
    summary: str | None = None

    def command_text(self) -> str:
        if self.command_name == "linux_terminal" and set(self.args) == {"command"}:
            return f"linux_terminal: {self.args['command']}"
        shown = {k: (v if len(str(v)) <= 120 else str(v)[:117] + "...") for k, v in self.args.items()}
        return f"{self.command_name} {json.dumps(shown, default=str)}"

    def one_line(self) -> str:
        mark = "ok" if self.ok else "FAILED"
        condensed = self.summary or short_summary(self.result)
        return f"Cycle {self.cycle}: {self.command_text()} -> {mark}: {condensed}"


def short_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The last meaningful lines of a result, flattened: where errors and summaries usually are."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        if used + len(line) + 3 > limit and kept:
            break
        kept.insert(0, line)
        used += len(line) + 3
    flat = " | ".join(kept) or "(no output)"
    return flat if len(flat) <= limit else "..." + flat[-(limit - 3) :]


class History:
    def __init__(self, keep: int = 8) -> None:
        self.keep = keep
        self.records: list[CycleRecord] = []

    def add(self, record: CycleRecord) -> None:
        self.records.append(record)

    def command_keys(self) -> list[str]:
        return [command_key(r.command_name, r.args) for r in self.records]

    def render(self) -> str:
        if not self.records:
            return "Nothing has been done yet in this attempt."
        *earlier, last = self.records
        shown = earlier[-self.keep :]
        lines = ["## What you did so far in this attempt"]
        if len(earlier) > len(shown):
            lines.append(f"({len(earlier) - len(shown)} earlier cycles not shown)")
        lines.extend(record.one_line() for record in shown)
        lines += [
            "",
            f"## Result of your last action (cycle {last.cycle})",
            f"Action: {last.command_text()}",
            last.result,
        ]
        return "\n".join(lines)

    def full_text(self, limit: int = 12_000) -> str:
        """Every cycle in one line each (for the attempt summary), most recent kept when too long."""
        text = "\n".join(record.one_line() for record in self.records) or "(no cycles)"
        return text if len(text) <= limit else "...\n" + text[-limit:]
