"""Hybrid mode: the offline planner's draft plan reaches the model's first prompt of each attempt."""

from __future__ import annotations

import json
from pathlib import Path

from engine.agent.plan_hint import HEADING, draft_plan_text
from tests.test_agent.conftest import RunHarness, shell

NOTES = json.dumps({"problems": ["out of cycles"]})


def test_draft_plan_of_a_python_project_has_a_dockerfile_and_numbered_commands(tiny_project: Path) -> None:
    text = draft_plan_text(tiny_project, "calc", "python")
    assert "language python, build system unknown" in text  # no pyproject or setup.py in it
    assert "```dockerfile\nFROM execagent/debian:bookworm\n" in text
    assert "COPY . /app/calc\nWORKDIR /app/calc\n```" in text
    numbered = [line for line in text.splitlines() if line[:1].isdigit()]
    assert numbered[0].startswith("1. [setup] `")
    assert numbered[-1].startswith(f"{len(numbered)}. [test] `python -m pytest")


def test_draft_plan_of_a_node_project_uses_npm(tmp_path: Path) -> None:
    project = tmp_path / "left-pad"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "left-pad", "scripts": {"test": "jest"}}))
    text = draft_plan_text(project, "left-pad", None)
    assert "language javascript" in text
    assert "nodejs" in text and "COPY . /app/left-pad" in text
    assert "npm" in text.split("Then, inside the container:")[1]


def test_the_hint_is_shown_in_the_first_cycle_of_each_attempt_only(harness: RunHarness) -> None:
    hint = draft_plan_text(harness.project, "calc", "python")
    harness.run(
        [shell("ls"), shell("ls tests"), shell("ls"), shell("cat calc.py")],
        texts=[NOTES, NOTES, "no recipe"],
        budget=2,
        max_retries=1,
        plan_hint=hint,
    )
    prompts = harness.prompts()
    assert f"{HEADING}\n{hint}" in prompts[0]
    assert HEADING not in prompts[1]
    assert f"{HEADING}\n{hint}" in prompts[2]  # the second attempt starts with it again
    assert HEADING not in prompts[3]


def test_no_hint_no_heading(harness: RunHarness) -> None:
    harness.run([shell("ls")], texts=[NOTES, "x"], budget=1)
    assert "offline planner" not in harness.prompts()[0]
