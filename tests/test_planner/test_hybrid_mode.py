"""Hybrid mode: an LLM run starts from the offline planner's draft, unless --no-plan-hint."""

from pathlib import Path

import pytest

from tests.llm_stub_server import LLMStubServer
from tests.test_records.conftest import cli

pytestmark = pytest.mark.docker
PYCALC = Path(__file__).resolve().parents[2] / "engine" / "bundled_projects" / "pycalc"
HEADING = "A first-draft plan from the offline planner"


def first_prompt(tmp_path: Path, *extra: str) -> str:
    with LLMStubServer() as stub:
        stub.reply_action(
            {"thoughts": "look", "command": {"name": "linux_terminal", "args": {"command": "ls"}}}
        )
        stub.reply_text("{}")  # attempt summary
        stub.reply_text("{}")  # forced exit: no usable recipe, the run fails cleanly
        result = cli(
            "--no-ui",
            "run",
            str(PYCALC),
            "--model",
            "openai:stub",
            "--base-url",
            stub.base_url,
            "--workspace-root",
            str(tmp_path),
            "--step-limit",
            "1",
            "--max-retries",
            "0",
            *extra,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        return "\n".join(str(m.get("content")) for m in stub.requests[0].messages)


def test_the_first_prompt_carries_the_planners_draft(tmp_path):
    prompt = first_prompt(tmp_path)
    assert HEADING in prompt
    assert "python -m pip install -e '.[test]'" in prompt and "FROM execagent/debian:bookworm" in prompt


def test_no_plan_hint_leaves_it_out(tmp_path):
    assert HEADING not in first_prompt(tmp_path, "--no-plan-hint")
