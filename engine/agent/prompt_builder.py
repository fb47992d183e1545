"""Assembles the messages sent to the model each cycle, from the prompt files and the run state."""

from __future__ import annotations

from typing import Any

from engine.agent.history import History
from engine.agent.plan_hint import HEADING as PLAN_HINT_HEADING
from engine.agent.request import RunRequest
from engine.prompt_library import PromptLibrary
from engine.sandbox.sandbox import slug

Message = dict[str, Any]


class PromptBuilder:
    def __init__(
        self, request: RunRequest, prompts: PromptLibrary, tool_names: list[str], brief_text: str
    ) -> None:
        self.request = request
        self.prompts = prompts
        self.tool_names = tool_names
        self.brief_text = brief_text

    def system_text(self, attempt_notes: list[str]) -> str:
        request = self.request
        values = {
            "budget": request.budget,
            "project_name": request.project_name,
            "project_url": request.project_url or str(request.project_path),
            "language": request.language,
            "project_path": slug(request.project_name),
        }
        task = request.task or self.prompts.render("system", values)
        parts = [task, self.prompts.load("tools")]
        guidelines = self.prompts.guidelines(request.language, missing_ok=True)
        if guidelines:
            parts.append(f"## Guidelines for {request.language}\n{guidelines}")
        if self.brief_text:
            parts.append(self.brief_text)
        if attempt_notes:
            parts.append(
                "## Notes from earlier attempts (they ran out of budget; learn from them)\n"
                + "\n\n".join(attempt_notes)
            )
        return "\n\n".join(part.strip() for part in parts)

    def messages(
        self,
        *,
        attempt_notes: list[str],
        history: History,
        cycle: int,
        guidance: list[str],
        human_notes: list[str],
        warning: str | None,
    ) -> list[Message]:
        sections = [history.render()]
        if cycle == 1 and self.request.plan_hint:
            sections.append(f"{PLAN_HINT_HEADING}\n{self.request.plan_hint}")
        if human_notes:
            sections.append("## Commands a person ran in your shell\n" + "\n\n".join(human_notes))
        if guidance:
            sections.append(
                "## Guidance from the person supervising you\n" + "\n".join(f"- {g}" for g in guidance)
            )
        if warning:
            sections.append(warning)
        left = self.request.budget - cycle + 1
        sections.append(f"This is cycle {cycle} of {self.request.budget} ({left} left in this attempt).")
        sections.append(self.prompts.render("cycle_instruction", tool_names=", ".join(self.tool_names)))
        return [
            {"role": "system", "content": self.system_text(attempt_notes)},
            {"role": "user", "content": "\n\n".join(s.strip() for s in sections)},
        ]
