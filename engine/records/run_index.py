"""`execagent-tui runs`: past runs read from their state.json files, newest first."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

from engine.records.layout import WorkspaceLayout
from engine.records.run_state import read_state


class PastRun(BaseModel):
    project: str
    started_at: str
    outcome: str
    passed: int | None = None
    failed: int | None = None
    cycles: int = 0
    cost_usd: float = 0.0
    model: str = ""
    run_dir: str


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed run may linger as one)."""
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def past_runs(layout: WorkspaceLayout, project: str | None = None) -> list[PastRun]:
    found = []
    for run_dir in layout.run_dirs():
        state = read_state(run_dir)
        if state is None or (project and state.info.project_name != project):
            continue
        outcome = state.outcome or ("running" if _alive(state.pid) else "interrupted (resumable)")
        summary = state.test_summary
        found.append(
            PastRun(
                project=state.info.project_name,
                started_at=state.info.started_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                outcome=outcome,
                passed=summary.passed if summary else None,
                failed=summary.failed if summary else None,
                cycles=state.cycles,
                cost_usd=state.cost_usd,
                model=state.info.model,
                run_dir=str(run_dir),
            )
        )
    return sorted(found, key=lambda run: run.started_at, reverse=True)
