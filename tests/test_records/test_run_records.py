"""One scripted run through the CLI on real Docker, and everything it leaves in its run directory."""

from __future__ import annotations

import contextlib
import json
import subprocess

import docker
import pytest

from engine.events import parse_event
from engine.test_parsers import parse_test_output
from engine.test_summary import TestSummary
from tests.test_records.conftest import (
    cli,
    make_project,
    run_dirs,
    shell,
    successful_script,
    write_file,
    write_script,
)

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, python_image, docker_client):
    base = tmp_path_factory.mktemp("records")
    project = make_project(base)
    script = successful_script(
        python_image,
        shell("cat calc.py"),
        write_file("settings.ini", "[calc]\nprecision = 2\n"),
        shell("mkdir -p build && echo built > build/marker"),
        shell("false"),
    )
    model = write_script(base / "script.json", script)
    workspace = base / "ws"
    result = cli(
        "--no-ui", "run", str(project), "--model", f"scripted:{model}", "--workspace-root", str(workspace),
        "--step-limit", "10", "--max-retries", "0",
    )  # fmt: skip
    (run_dir,) = run_dirs(workspace)
    yield result, run_dir, project
    run_id = json.loads((run_dir / "state.json").read_text())["info"]["run_id"]
    for kind in ("launch", "replay"):  # images the scripts built; the run's own are left to `clean`
        with contextlib.suppress(docker.errors.ImageNotFound):
            docker_client.images.remove(f"execagent/{kind}-calc:{run_id}", force=True)


def test_the_run_succeeds_and_says_where_its_records_are(finished_run) -> None:
    result, run_dir, _ = finished_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 3 passed, 0 failed (unittest)" in result.stdout
    assert f"records in {run_dir}" in result.stdout
    assert run_dir.parent.name == "calc"


def test_every_record_file_is_there_and_parses(finished_run) -> None:
    _, run_dir, _ = finished_run
    events = [parse_event(line) for line in (run_dir / "run.jsonl").read_text().splitlines()]
    assert events[0].type == "run_started" and events[-1].type == "run_finished"
    assert [e.cycle for e in events if e.type == "cycle_ended"] == list(range(1, 9))
    log = (run_dir / "run.log").read_text()
    assert "attempt 1 cycle 5: linux_terminal: mkdir -p build && echo built > build/marker" in log
    assert "run finished: SUCCESS" in log
    messages = json.loads((run_dir / "messages.json").read_text())
    assert [a["attempt"] for a in messages] == [1]
    assert len(messages[0]["exchanges"]) == 8
    assert messages[0]["exchanges"][0]["messages"][0]["role"] == "system"
    transcript = [json.loads(x) for x in (run_dir / "messages_transcript.jsonl").read_text().splitlines()]
    assert len(transcript) == 8
    assert "attempt 1 · cycle 3" in (run_dir / "messages_transcript.txt").read_text()
    for cycle in range(1, 9):
        chat = run_dir / "cycles_chats" / "attempt_1" / f"cycle_{cycle}"
        assert json.loads((chat / "prompt_1.json").read_text())["cycle"] == cycle
        assert "[reply]" in (chat / "prompt_1.txt").read_text()
    metrics = json.loads((run_dir / "tool_metrics.json").read_text())
    assert metrics["linux_terminal"]["calls"] == 5
    assert metrics["linux_terminal"]["failures"] == 1  # `false`
    assert metrics["write_to_file"]["successes"] == 2
    state = json.loads((run_dir / "state.json").read_text())
    assert state["status"] == "finished" and state["outcome"] == "success"


def test_success_artifacts_describe_the_run(finished_run, python_image) -> None:
    _, run_dir, project = finished_run
    artifacts = run_dir / "success_artifacts"
    assert (artifacts / "Dockerfile").read_text() == f"FROM {python_image}\nWORKDIR /app\n"
    commands = (artifacts / "commands.sh").read_text()
    assert "mkdir -p build && echo built > build/marker" in commands
    assert "precision = 2" in commands  # the file written inside the container
    assert "cat calc.py" not in commands and "\nfalse\n" not in commands  # looked around / failed
    assert commands.rstrip().endswith("python3 -m unittest discover -s tests -v")
    manifest = json.loads((artifacts / "manifest.json").read_text())
    assert manifest["project"]["name"] == "calc" and manifest["project"]["path"] == str(project)
    assert manifest["models"]["agent"].startswith("scripted:")
    assert manifest["docker"]["image_id"].startswith("sha256:")
    assert manifest["test_summary"]["passed"] == 3
    assert manifest["cycles"] == 8 and manifest["attempts"] == 1
    assert manifest["tokens"]["prompt"] > 0 and manifest["tool_version"]


def test_launch_sh_reproduces_the_test_summary(finished_run) -> None:
    _, run_dir, _ = finished_run
    artifacts = run_dir / "success_artifacts"
    manifest = json.loads((artifacts / "manifest.json").read_text())
    launched = subprocess.run(
        ["bash", str(artifacts / "launch.sh")], capture_output=True, text=True, timeout=180
    )
    assert launched.returncode == 0, launched.stdout + launched.stderr
    summary = parse_test_output(launched.stdout + launched.stderr)
    assert summary == TestSummary.model_validate(manifest["test_summary"])


def test_launch_sh_keep_container_leaves_it_for_debugging(finished_run, docker_client) -> None:
    _, run_dir, _ = finished_run
    launched = subprocess.run(
        ["bash", str(run_dir / "success_artifacts" / "launch.sh"), "--keep-container"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert launched.returncode == 0, launched.stderr
    name = launched.stdout.split("container kept: ")[1].split()[0]
    container = docker_client.containers.get(name)
    try:
        assert container.exec_run(["cat", "/app/calc/build/marker"]).output == b"built\n"
    finally:
        container.remove(force=True)


def test_replay_trace_replays_every_command_in_order(finished_run) -> None:
    _, run_dir, _ = finished_run
    replayed = subprocess.run(
        ["bash", str(run_dir / "replay_trace.sh")], capture_output=True, text=True, timeout=180
    )
    assert replayed.returncode == 0, replayed.stderr
    order = [line for line in replayed.stdout.splitlines() if line.startswith("+ [cycle")]
    assert [line.split("] ", 1)[1] for line in order] == [
        "cat calc.py",
        "write /app/calc/settings.ini",
        "mkdir -p build && echo built > build/marker",
        "false",
        "python3 -m unittest discover -s tests -v",
    ]
    assert parse_test_output(replayed.stdout + replayed.stderr).passed == 3


def test_runs_lists_the_run(finished_run) -> None:
    _, run_dir, _ = finished_run
    workspace = run_dir.parents[2]
    listed = cli("runs", "--json", "--workspace-root", str(workspace))
    (run,) = json.loads(listed.stdout)
    assert (run["project"], run["outcome"], run["passed"], run["failed"]) == ("calc", "success", 3, 0)
    table = cli("runs", "--workspace-root", str(workspace)).stdout
    assert "calc" in table and "success" in table and "3 passed, 0 failed" in table
