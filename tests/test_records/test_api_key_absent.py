"""An API key given by --api-key or OPENAI_API_KEY is used, yet appears in no file of the run directory."""

from __future__ import annotations

import pytest

from tests.llm_stub_server import LLMStubServer
from tests.test_records.conftest import cli, goals, make_project, run_dirs, shell, successful_script

pytestmark = pytest.mark.docker


@pytest.mark.parametrize("how", ["--api-key", "OPENAI_API_KEY"])
def test_api_key_appears_in_no_record_file(tmp_path, python_image, how):
    key = f"sk-test-{how.strip('-').lower()}-9f8e7d6c5b4a"
    project = make_project(tmp_path)
    workspace = tmp_path / "ws"
    leaky = [shell(f"echo the key is {key}")]  # even a key the model repeats must not reach a file
    with LLMStubServer() as stub:
        for action in successful_script(python_image, *leaky)[:-1] + [goals()]:
            stub.reply_tool_call({**action, "thoughts": f"{action['thoughts']} ({key})"})
        args = ["--no-ui", "run", str(project), "--model", "openai:stub-model", "--base-url", stub.base_url]
        args += ["--workspace-root", str(workspace), "--max-retries", "0", "--step-limit", "6"]
        env = {"OPENAI_API_KEY": key} if how == "OPENAI_API_KEY" else {"OPENAI_API_KEY": ""}
        if how == "--api-key":
            args += ["--api-key", key]
        result = cli(*args, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert stub.requests and all(r.authorization == f"Bearer {key}" for r in stub.requests)
    (run_dir,) = run_dirs(workspace)
    files = [p for p in run_dir.rglob("*") if p.is_file()]
    assert len(files) > 20
    assert [p for p in files if key.encode() in p.read_bytes()] == []
    assert b"the key is ***" in (run_dir / "container_output.log").read_bytes()
    assert key not in result.stdout + result.stderr
