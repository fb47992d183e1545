"""Per tool: how often it was called, how often it worked, and how long it took."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ToolStats(BaseModel):
    calls: int = 0
    successes: int = 0
    failures: int = 0
    durations_s: list[float] = Field(default_factory=list)

    @property
    def total_s(self) -> float:
        return sum(self.durations_s)


class ToolMetrics:
    def __init__(self) -> None:
        self.tools: dict[str, ToolStats] = {}

    def add(self, tool: str, ok: bool, duration_s: float) -> None:
        stats = self.tools.setdefault(tool, ToolStats())
        stats.calls += 1
        stats.successes += ok
        stats.failures += not ok
        stats.durations_s.append(round(duration_s, 3))

    def as_json(self) -> dict:
        return {
            name: {
                "calls": s.calls,
                "successes": s.successes,
                "failures": s.failures,
                "total_s": round(s.total_s, 3),
                "mean_s": round(s.total_s / s.calls, 3) if s.calls else 0.0,
                "max_s": max(s.durations_s, default=0.0),
                "durations_s": s.durations_s,
            }
            for name, s in sorted(self.tools.items())
        }
