"""Hybrid mode: the offline planner's first-draft plan, written as text for the model's first prompt."""

from __future__ import annotations

from pathlib import Path

from engine.planner.project_facts import read_facts
from engine.planner.recipes import Learned, dockerfile, steps
from engine.sandbox.sandbox import slug

HEADING = "## A first-draft plan from the offline planner (a suggestion, not an order)"


def draft_plan_text(project_dir: Path, project_name: str, language: str | None = None) -> str:
    """The planner's Dockerfile and numbered commands, read from build files only (nothing runs)."""
    facts = read_facts(Path(project_dir), language)
    container_dir = f"/app/{slug(project_name)}"
    commands = steps(facts, Learned())
    numbered = "\n".join(
        f"{number}. [{step.kind}] `{step.command}` ({step.purpose})"
        for number, step in enumerate(commands, start=1)
    )
    return "\n".join(
        [
            f"Read from the build files without running anything: language {facts.language},"
            f" build system {facts.build_system}. Check it against what you find; change what is wrong.",
            "",
            "Dockerfile:",
            "```dockerfile",
            dockerfile(facts, container_dir, Learned()).rstrip(),
            "```",
            "",
            "Then, inside the container:",
            numbered or "(no commands: the planner did not recognise the build system)",
        ]
    )
