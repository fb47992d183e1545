"""--cycle-summaries: with an LLM (auto) the knowledge model condenses long results; plain: last lines."""

import json
from pathlib import Path

import pytest

from tests.llm_stub_server import LLMStubServer
from tests.test_records.conftest import cli, shell

pytestmark = pytest.mark.docker
PYCALC = Path(__file__).resolve().parents[2] / "engine" / "bundled_projects" / "pycalc"
CONDENSED = "expression.py defines evaluate(); it parses + - * / with precedence."


def run_through_stub(tmp_path: Path, *extra: str) -> tuple[list, Path]:
    long_read = "cat src/pycalc/expression.py"  # 1.2 kB: longer than a history line can hold
    with LLMStubServer() as stub:
        stub.reply_action(shell(long_read))
        if "plain" not in extra:
            stub.reply_text(CONDENSED)
        stub.reply_action(shell("ls"))
        stub.reply_action(shell("pwd"))
        stub.reply_text("{}")  # attempt summary
        stub.reply_text("{}")  # forced exit: no usable recipe, the run fails cleanly
        result = cli(
            "--no-ui", "run", str(PYCALC), "--model", "openai:stub", "--base-url", stub.base_url,
            "--workspace-root", str(tmp_path), "--step-limit", "3", "--max-retries", "0", *extra,
        )  # fmt: skip
        assert result.returncode == 1, result.stdout + result.stderr
        requests = list(stub.chat_requests)
    run_dir = next((tmp_path / "_run_logs" / "pycalc").iterdir())
    return requests, run_dir


def purposes(run_dir: Path) -> list[str]:
    lines = (run_dir / "run.jsonl").read_text().splitlines()
    return [e["purpose"] for e in map(json.loads, lines) if e["type"] == "model_request"]


def test_an_llm_condenses_long_results_for_the_history(tmp_path: Path) -> None:
    requests, run_dir = run_through_stub(tmp_path)
    asked = requests[1].messages[-1]["content"]
    assert "Action:\nlinux_terminal: cat src/pycalc/expression.py" in asked and "def " in asked
    third_prompt = requests[3].messages[-1]["content"]
    assert f"Cycle 1: linux_terminal: cat src/pycalc/expression.py -> ok: {CONDENSED}" in third_prompt
    assert purposes(run_dir)[:3] == ["action", "summarize_cycle", "action"]
    assert json.loads((run_dir / "state.json").read_text())["info"]["request"]["cycle_summaries"] == "model"


def test_plain_summaries_make_no_extra_calls(tmp_path: Path) -> None:
    requests, run_dir = run_through_stub(tmp_path, "--cycle-summaries", "plain")
    assert "summarize_cycle" not in purposes(run_dir)
    assert (
        "Cycle 1: linux_terminal: cat src/pycalc/expression.py -> ok: " in requests[2].messages[-1]["content"]
    )
