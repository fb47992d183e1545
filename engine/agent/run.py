"""The engine's entry point: one run of the agent on one project, sandbox always closed at the end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from engine.agent.loop import Agent
from engine.agent.request import RunRequest, RunResult
from engine.control import ControlChannel
from engine.events import BuildLogLine, EventBus, OutputChunk, SummarySource, TestSummaryObserved
from engine.model import Model
from engine.project_brief import mine_project
from engine.prompt_library import PromptLibrary
from engine.test_summary import TestSummary
from engine.tools import ToolRegistry, Workspace, default_registry

if TYPE_CHECKING:
    from engine.sandbox.sandbox import Sandbox

log = logging.getLogger(__name__)

# Called with (run_id, project_name); `functools.partial(Sandbox, docker_client)` fits.
SandboxFactory = Callable[[str, str], "Sandbox"]


def project_brief_text(request: RunRequest) -> str:
    """The offline project brief, or "" when the folder cannot be mined (never fails the run)."""
    try:
        return mine_project(request.project_path).to_prompt_text()
    except Exception as error:  # the brief is a help, not a requirement
        log.warning("project brief unavailable for %s: %s", request.project_path, error)
        return ""


def run(
    request: RunRequest,
    model: Model,
    knowledge_model: Model,
    sandbox_factory: SandboxFactory,
    bus: EventBus,
    control: ControlChannel | None = None,
    *,
    tools: ToolRegistry | None = None,
    prompts: PromptLibrary | None = None,
) -> RunResult:
    control = control or ControlChannel()
    if request.confirm_mode:
        control.set_confirm_mode(True)
    run_id = request.run_id

    def on_summary(summary: TestSummary, command: str, source: SummarySource) -> None:
        bus.emit(TestSummaryObserved(run_id=run_id, summary=summary, source=source, command=command))

    workspace = Workspace(
        project_dir=request.project_path,
        project_name=request.project_name,
        sandbox_factory=lambda: sandbox_factory(run_id, request.project_name),
        threshold=request.threshold,
        command_timeout_s=request.command_timeout_s,
        stuck_after_s=request.stuck_after_s,
        build_timeout_s=request.build_timeout_s,
        on_output=lambda text: bus.emit(OutputChunk(run_id=run_id, text=text)),
        on_build_log=lambda line: bus.emit(BuildLogLine(run_id=run_id, line=line)),
        on_test_summary=on_summary,
    )
    agent = Agent(
        request,
        model,
        knowledge_model,
        workspace,
        tools or default_registry(),
        prompts or PromptLibrary(request.prompt_dir),
        bus,
        control,
        brief_text=project_brief_text(request),
    )
    try:
        return agent.run()
    finally:
        workspace.close()
