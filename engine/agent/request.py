"""What a run is asked to do, and what it returns."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.events import Outcome
from engine.test_summary import TestSummary


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


class RunRequest(BaseModel):
    """Everything the agent needs to know about one run; built by the CLI or the TUI."""

    model_config = ConfigDict(frozen=True)

    project_name: str = Field(min_length=1)
    project_path: Path
    language: str = "python"
    project_url: str = ""
    budget: int = Field(default=40, ge=1, description="cycles per attempt")
    max_retries: int = Field(default=2, ge=0, description="further attempts after the first")
    threshold: float = Field(
        default=0.8, ge=0.0, le=1.0, description="share of executed tests that must pass"
    )
    task: str | None = Field(default=None, description="replaces the built-in task text of the system prompt")
    confirm_mode: bool = False
    max_cost: float | None = Field(default=None, gt=0, description="USD; the run stops cleanly beyond it")
    run_id: str = Field(default_factory=new_run_id)
    prompt_dir: Path | None = None
    history_cycles: int = Field(default=8, ge=1, description="earlier cycles shown as short summaries")
    plan_hint: str | None = Field(
        default=None,
        description="hybrid mode: the offline planner's draft, shown in each attempt's first cycle",
    )
    cycle_summaries: Literal["model", "plain"] = Field(
        default="plain",
        description="model: the knowledge model condenses long results for the history; plain: last lines",
    )
    command_timeout_s: float = 1800.0
    stuck_after_s: float = 300.0
    build_timeout_s: float = 3600.0


class RunResult(BaseModel):
    """The outcome of a run, as the CLI reports it."""

    run_id: str
    outcome: Outcome
    summary: str
    cycles: int
    attempts: int
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    test_summary: TestSummary | None = None
    dockerfile: str | None = None
    test_command: str | None = None
    # The forced exit's run_tests.sh, when the run ended that way.
    test_script: str | None = None
