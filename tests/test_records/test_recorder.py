"""The recorder without Docker: per-event flushing, forced-exit files, the headless view, its cost."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from engine import events as ev
from engine.headless import HeadlessView
from engine.model import Usage
from engine.records.recorder import RunRecorder
from engine.records.recording_model import ModelCall
from engine.records.redaction import Redactor
from engine.records.run_state import RunInfo
from engine.test_summary import TestSummary

RUN = "r1"
RECIPE = json.dumps({"dockerfile": "FROM debian\n", "run_tests_sh": "#!/bin/sh\npytest\n"})


def recorder(tmp_path: Path, secret: str = "") -> RunRecorder:
    info = RunInfo(
        run_id=RUN, project_name="calc", project_path=str(tmp_path), model="m", knowledge_model="m"
    )
    return RunRecorder(tmp_path / "run", info, Redactor([secret]))


def cycle(rec: RunRecorder, n: int, command: str = "ls") -> None:
    rec(ev.CycleStarted(run_id=RUN, attempt=1, cycle=n))
    rec(
        ev.ModelRequest(
            run_id=RUN, attempt=1, cycle=n, message_count=2, prompt_chars=10, estimated_prompt_tokens=3
        )
    )
    rec.model_called([{"role": "user", "content": "go"}], ModelCall(kind="action", raw="{}", usage=Usage()))
    rec(ev.ToolCalled(run_id=RUN, attempt=1, cycle=n, tool="linux_terminal", args={"command": command}))
    rec(ev.ToolResult(run_id=RUN, attempt=1, cycle=n, tool="linux_terminal", ok=True, text="done"))
    rec(ev.CycleEnded(run_id=RUN, attempt=1, cycle=n))


def test_each_event_is_on_disk_as_soon_as_it_is_emitted(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    rec(ev.AttemptStarted(run_id=RUN, attempt=1, budget=3))
    cycle(rec, 1)
    lines = (tmp_path / "run" / "run.jsonl").read_text().splitlines()  # the recorder is still open
    assert [json.loads(x)["type"] for x in lines][-1] == "cycle_ended"
    state = json.loads((tmp_path / "run" / "state.json").read_text())
    assert state["last_completed"] == {"attempt": 1, "cycle": 1} and state["status"] == "running"
    assert not list((tmp_path / "run").glob(".*.tmp"))  # atomic writes leave no temporaries
    rec.close()


def test_forced_exit_leaves_its_recipe_build_log_and_test_output(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    rec(ev.AttemptStarted(run_id=RUN, attempt=1, budget=1))
    cycle(rec, 1)
    rec(ev.ModelRequest(run_id=RUN, attempt=1, cycle=1, purpose="forced_exit", message_count=1,
                        prompt_chars=5, estimated_prompt_tokens=2))  # fmt: skip
    rec.model_called([{"role": "user", "content": "recipe?"}], ModelCall(kind="text", raw=RECIPE))
    rec(ev.BuildLogLine(run_id=RUN, line="Step 1/3 : FROM debian"))
    rec(ev.OutputChunk(run_id=RUN, text="1 passed in 0.1s\n"))
    summary = TestSummary(framework="pytest", passed=1)
    command = "bash /app/calc/run_tests.sh"
    rec(ev.RunFinished(run_id=RUN, outcome="success", summary="forced exit: ok", cycles=1, attempts=1,
                       test_summary=summary, dockerfile="FROM debian\n", test_command=command))  # fmt: skip
    folder = tmp_path / "run" / "forced_exit_cycle"
    assert (folder / "Dockerfile").read_text() == "FROM debian\n"
    assert (folder / "run_tests.sh").read_text() == "#!/bin/sh\npytest\n"
    assert (folder / "docker_build.log").read_text() == "Step 1/3 : FROM debian"
    assert (folder / "test_output.log").read_text() == "1 passed in 0.1s\n"
    commands = (tmp_path / "run" / "success_artifacts" / "commands.sh").read_text()
    assert "cat > /app/calc/run_tests.sh" in commands and commands.rstrip().endswith(
        "bash /app/calc/run_tests.sh"
    )
    rec.close()


def test_plain_headless_lines_and_verbose_container_output() -> None:
    out = io.StringIO()
    view = HeadlessView(out, verbose=True, live=False)
    sink = view.subscriber("calc")
    sink(ev.RunStarted(run_id=RUN, project_name="calc", project_path="/p", language="python", budget=5,
                       max_retries=0, model="m", knowledge_model="m"))  # fmt: skip
    sink(ev.AttemptStarted(run_id=RUN, attempt=1, budget=5))
    sink(ev.CycleStarted(run_id=RUN, attempt=1, cycle=2))
    sink(ev.ToolCalled(run_id=RUN, attempt=1, cycle=2, tool="linux_terminal", args={"command": "make"}))
    sink(ev.OutputChunk(run_id=RUN, text="gcc -c x.c\n"))
    sink(ev.ToolResult(run_id=RUN, attempt=1, cycle=2, tool="linux_terminal", ok=True, text=""))
    assert out.getvalue().splitlines() == [
        "[calc] started: model m, budget 5 cycles",
        "[calc] attempt 1",
        "[calc] gcc -c x.c",
        "[calc] cycle 2/5: linux_terminal: make -> ok",
    ]
    assert "\x1b" not in out.getvalue()


def test_live_view_shows_a_status_line() -> None:
    out = io.StringIO()
    sink = HeadlessView(out, live=True).subscriber("calc")
    sink(ev.AttemptStarted(run_id=RUN, attempt=2, budget=9))
    sink(ev.CycleStarted(run_id=RUN, attempt=2, cycle=4))
    sink(ev.ToolCalled(run_id=RUN, attempt=2, cycle=4, tool="linux_terminal", args={"command": "pytest"}))
    status = out.getvalue().rsplit("\r\x1b[2K", 1)[1]
    assert status.startswith("calc · attempt 2 · cycle 4/9 · 0m00s · $0.0000 · linux_terminal: pytest")


def test_a_saved_cycle_costs_milliseconds(tmp_path: Path) -> None:
    rec = recorder(tmp_path)
    rec(ev.AttemptStarted(run_id=RUN, attempt=1, budget=50))
    started = time.perf_counter()
    for n in range(1, 51):
        cycle(rec, n)
    per_cycle = (time.perf_counter() - started) / 50
    rec.close()
    print(f"recorder: {per_cycle * 1e3:.1f} ms per cycle (6 events, prompt files, state saved)")
    assert per_cycle < 0.1


def test_recorder_overhead_per_event_is_small(tmp_path: Path) -> None:
    rec = recorder(tmp_path, secret="sk-a-secret-key")
    chunk = ev.OutputChunk(run_id=RUN, text="x" * 200 + "\n")
    started = time.perf_counter()
    for _ in range(2000):
        rec(chunk)
    per_event = (time.perf_counter() - started) / 2000
    rec.close()
    print(f"recorder: {per_event * 1e6:.0f} us per output event")
    assert per_event < 0.002
