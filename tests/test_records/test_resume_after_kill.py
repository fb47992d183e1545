"""A run killed with SIGKILL mid-cycle is resumed from its last completed cycle."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest

from engine.events import parse_event
from tests.test_records.conftest import (
    ROOT,
    cli,
    cli_command,
    make_project,
    run_dirs,
    shell,
    successful_script,
    write_script,
)

pytestmark = pytest.mark.docker


def _cycles_ended(workspace) -> int:
    dirs = run_dirs(workspace)
    if not dirs:
        return 0
    return (dirs[0] / "run.jsonl").read_text().count('"type":"cycle_ended"')


def test_resume_after_kill_9_continues_from_the_last_completed_cycle(tmp_path, python_image, docker_client):
    project = make_project(tmp_path)
    script = successful_script(
        python_image,
        shell("mkdir -p build && echo one > build/first"),
        shell("sleep 5 && echo two > build/second"),  # the process is killed during this cycle
    )
    model = write_script(tmp_path / "script.json", script)
    workspace = tmp_path / "ws"
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    killed = subprocess.Popen(
        cli_command(
            "--no-ui", "run", str(project), "--model", f"scripted:{model}",
            "--workspace-root", str(workspace), "--step-limit", "8", "--max-retries", "0",
        ),
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while _cycles_ended(workspace) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # well inside the `sleep 5` of cycle 4
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait()
    (run_dir,) = run_dirs(workspace)
    assert _cycles_ended(workspace) == 3
    listed = json.loads(cli("runs", "--json", "--workspace-root", str(workspace)).stdout)
    assert listed[0]["outcome"] == "interrupted (resumable)"

    resumed = cli("--no-ui", "resume", str(run_dir), "--workspace-root", str(workspace))
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "success: 3 passed, 0 failed (unittest)" in resumed.stdout

    events = [parse_event(x) for x in (run_dir / "run.jsonl").read_text().splitlines()]
    assert [e.cycle for e in events if e.type == "cycle_ended"] == [1, 2, 3, 4, 5, 6]  # none twice
    assert [e.type for e in events].count("run_started") == 1
    assert events[-1].type == "run_finished" and events[-1].outcome == "success"
    assert "resumed after cycle 3 of attempt 1" in (run_dir / "run.log").read_text()
    state = json.loads((run_dir / "state.json").read_text())
    assert (state["outcome"], state["resumed"], state["cycles"]) == ("success", 1, 6)
    commands = (run_dir / "success_artifacts" / "commands.sh").read_text()
    assert "echo one > build/first" in commands and "echo two > build/second" in commands
    exchanges = json.loads((run_dir / "messages.json").read_text())[0]["exchanges"]
    assert [e["cycle"] for e in exchanges] == [1, 2, 3, 4, 5, 6]
    leftovers = docker_client.containers.list(
        all=True, filters={"label": f"io.execagent.run-id={events[0].run_id}"}
    )
    assert leftovers == []


def test_resume_of_a_finished_run_is_refused(tmp_path, python_image):
    project = make_project(tmp_path)
    model = write_script(tmp_path / "script.json", successful_script(python_image))
    workspace = tmp_path / "ws"
    done = cli(
        "--no-ui", "run", str(project), "--model", f"scripted:{model}", "--workspace-root", str(workspace)
    )
    assert done.returncode == 0, done.stderr
    again = cli("--no-ui", "resume", "calc", "--workspace-root", str(workspace))
    assert again.returncode == 2
    assert "already finished (success)" in again.stderr
