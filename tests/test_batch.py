"""Several projects at once: separate containers and run dirs, a summary, Ctrl-C stops them all."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

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


def test_two_projects_in_parallel_are_isolated(tmp_path, python_image):
    one, two = make_project(tmp_path, "one"), make_project(tmp_path, "two")
    script = successful_script(python_image, shell("hostname > /tmp/me && sleep 2 && cat /tmp/me"))
    model = write_script(tmp_path / "script.json", script)
    workspace = tmp_path / "ws"
    result = cli("--no-ui", "run", f"{one},{two}", "--parallel", "2", "--model", f"scripted:{model}",
                 "--workspace-root", str(workspace), "--max-retries", "0")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    dirs = run_dirs(workspace)
    assert sorted(d.parent.name for d in dirs) == ["one", "two"]
    run_ids, spans, hostnames = set(), [], set()
    for run_dir in dirs:
        events = [parse_event(x) for x in (run_dir / "run.jsonl").read_text().splitlines()]
        run_ids.add(events[0].run_id)
        spans.append((events[0].timestamp, events[-1].timestamp))
        (printed,) = [e.text for e in events if e.type == "tool_result" and e.cycle == 3]
        hostnames.add(printed.splitlines()[0])
    assert len(run_ids) == 2 and len(hostnames) == 2  # two runs, two containers
    assert spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1]  # they overlapped in time
    for word in ("project", "one", "two", "success"):
        assert word in result.stdout
    summary_file = result.stdout.split("summary: ")[1].strip()
    summary = json.loads(Path(summary_file).read_text())
    assert summary["succeeded"] == 2 and summary["total"] == 2
    assert {p["project"]: p["passed"] for p in summary["projects"]} == {"one": 3, "two": 3}


def test_one_failure_makes_the_batch_exit_1(tmp_path, python_image):
    good, bad = make_project(tmp_path, "good"), make_project(tmp_path, "bad")
    (bad / "calc.py").write_text("def add(a, b):\n    return a - b\n")  # every test fails
    model = write_script(tmp_path / "script.json", successful_script(python_image))
    workspace = tmp_path / "ws"
    result = cli("--no-ui", "run", f"{good},{bad}", "--parallel", "2", "--model", f"scripted:{model}",
                 "--workspace-root", str(workspace), "--max-retries", "0", "--step-limit", "4")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    table = result.stdout.split("\n\n")[-1]
    assert "good" in table and "bad" in table and "failed" in table


def test_ctrl_c_stops_every_run_and_removes_their_containers(tmp_path, python_image, docker_client):
    one, two = make_project(tmp_path, "one"), make_project(tmp_path, "two")
    model = write_script(tmp_path / "script.json", successful_script(python_image, shell("sleep 120")))
    workspace = tmp_path / "ws"
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    batch = subprocess.Popen(
        cli_command("--no-ui", "run", f"{one},{two}", "--parallel", "2", "--model", f"scripted:{model}",
                    "--workspace-root", str(workspace), "--max-retries", "0"),
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        logs = [(d / "run.log").read_text() for d in run_dirs(workspace) if (d / "run.log").exists()]
        if len(logs) == 2 and all("sleep 120" in log for log in logs):
            break
        time.sleep(0.2)
    started = time.monotonic()
    batch.send_signal(signal.SIGINT)
    out, err = batch.communicate(timeout=90)
    assert batch.returncode == 130, out + err
    assert time.monotonic() - started < 60
    for run_dir in run_dirs(workspace):
        state = json.loads((run_dir / "state.json").read_text())
        run_id = state["info"]["run_id"]
        assert (
            docker_client.containers.list(all=True, filters={"label": f"io.execagent.run-id={run_id}"}) == []
        )
    assert "stopped" in out
