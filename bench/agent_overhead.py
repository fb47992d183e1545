"""Prompt size per cycle and the engine's own overhead per cycle, over one scripted 40-cycle run.

Usage: python bench/agent_overhead.py [--docker] [--cycles N]
The model is a ScriptedModel (no network). Tools run against an in-memory fake sandbox, or against a
real container with --docker (needs a Docker engine and the base image). The same script runs twice:
once with only the event bus, once with a RunRecorder writing the run's files, as a real run does.
Overhead = a cycle's wall time minus the time spent inside the model and inside the sandbox.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # runnable as a plain script

from engine import events as ev  # noqa: E402
from engine.agent import RunRequest, run  # noqa: E402
from engine.events import EventBus  # noqa: E402
from engine.model import ScriptedModel  # noqa: E402
from engine.model.protocol import Message, ModelTurn, TextTurn  # noqa: E402
from engine.sandbox.base_images import DEFAULT_BASE_IMAGE  # noqa: E402
from engine.sandbox.image_builder import BuildResult  # noqa: E402
from engine.sandbox.persistent_shell import CommandOutcome  # noqa: E402
from engine.sandbox.sandbox import slug  # noqa: E402

PROJECT = "calc"
DOCKERFILE = f"FROM {DEFAULT_BASE_IMAGE}\nWORKDIR /app/{PROJECT}\n"
UNITTEST_OUTPUT = (
    "test_negative (test_calc.AddTest) ... ok\ntest_small (test_calc.AddTest) ... ok\n"
    "test_zero (test_calc.AddTest) ... ok\n\n"
    "----------------------------------------------------------------------\n"
    "Ran 3 tests in 0.001s\n\nOK\n"
)
TEST_COMMAND = "printf " + shlex.quote(UNITTEST_OUTPUT.replace("\n", "\\n"))
REPORT_CYCLES = (1, 5, 10, 20, 40)


# ---------------------------------------------------------------- the script and its outputs
def script(cycles: int) -> list[tuple[dict[str, Any], str]]:
    """(action, what the command prints) per cycle: a Dockerfile, commands of growing output, a claim."""
    steps: list[tuple[dict[str, Any], str]] = [
        (_action("write_to_file", filename="Dockerfile", text=DOCKERFILE), "")
    ]
    for i in range(2, cycles):
        if i == cycles - 2:
            steps.append((_action("linux_terminal", command=TEST_COMMAND), UNITTEST_OUTPUT))
        elif i % 7 == 0:  # a long log, as an install or a build prints: the digest must cap it
            steps.append((_action("linux_terminal", command="seq 1 20000"), _seq(20000)))
        else:
            n = 40 * i
            steps.append((_action("linux_terminal", command=f"seq 1 {n}"), _seq(n)))
    steps.append((_action("goals_accomplished", reason="3 tests pass", test_command=TEST_COMMAND), ""))
    return steps[:cycles]


def _action(name: str, **args: Any) -> dict[str, Any]:
    return {"thoughts": f"cycle step with {name}", "command": {"name": name, "args": args}}


def _seq(n: int) -> str:
    return "".join(f"{k}\n" for k in range(1, n + 1))


class FakeSandbox:
    """In memory: builds succeed at once and commands print what the script says they print."""

    def __init__(self, run_id: str, project: str, outputs: dict[str, str]) -> None:
        self.run_id, self.project, self.outputs = run_id, project, outputs
        self.shell: object | None = None

    @property
    def project_dir(self) -> str:
        return f"/app/{slug(self.project)}"

    def build(
        self, dockerfile: str, context_dir: Path | None, *, on_log=None, timeout: float = 0
    ) -> BuildResult:
        if on_log is not None:
            for line in ("Step 1/2 : FROM base", "Step 2/2 : WORKDIR /app", "Successfully built fake"):
                on_log(line)
        return BuildResult(ok=True, tag=f"fake/{self.project}:1", image_id="sha256:fake", duration_s=0.0)

    def start(self, image: str, source_dir: Path | None = None, **_: Any) -> None:
        self.shell = object()

    def run(self, command: str, *, on_output=None, **_: Any) -> CommandOutcome:
        output = self.outputs.get(command, f"bash: {command}: not scripted\n")
        if on_output is not None:
            on_output(output)
        return CommandOutcome("finished", 0, output, 0.0, cwd=self.project_dir)

    def write_file(self, path: str, content: str | bytes) -> str:
        return path

    def remove_container(self) -> None:
        self.shell = None

    def close(self, keep_images: bool = True) -> None:
        self.shell = None


# ---------------------------------------------------------------- timing what is not the engine's
class Stopwatch:
    """Time spent outside the engine (model, sandbox), summed per cycle."""

    def __init__(self) -> None:
        self.outside = 0.0

    def timed(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                self.outside += time.perf_counter() - started

        return wrapper


class TimedModel:
    def __init__(self, model: ScriptedModel, watch: Stopwatch) -> None:
        self.name, self.model, self.watch = model.name, model, watch

    def next_action(self, messages: list[Message]) -> ModelTurn:
        return self.watch.timed(self.model.next_action)(messages)

    def complete_text(self, messages: list[Message]) -> TextTurn:
        return self.watch.timed(self.model.complete_text)(messages)


class TimedSandbox:
    """Forwards everything; the calls that do container work count as command time."""

    TIMED = {"build", "start", "run", "write_file", "read_file", "remove_container", "close", "exec_quick"}

    def __init__(self, sandbox: Any, watch: Stopwatch) -> None:
        self._sandbox, self._watch = sandbox, watch

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._sandbox, name)
        return self._watch.timed(value) if name in self.TIMED else value


class CycleClock:
    """Subscriber: wall time of each cycle and the outside time within it."""

    def __init__(self, watch: Stopwatch) -> None:
        self.watch = watch
        self.started = self.outside_at_start = 0.0
        self.overhead_ms: list[float] = []
        self.wall_ms: list[float] = []
        self.prompts: list[tuple[int, int, int]] = []  # (cycle, chars, estimated tokens)
        self.api_reported = False

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, ev.CycleStarted):
            self.started, self.outside_at_start = time.perf_counter(), self.watch.outside
        elif isinstance(event, ev.CycleEnded):
            wall = time.perf_counter() - self.started
            outside = self.watch.outside - self.outside_at_start
            self.wall_ms.append(wall * 1000)
            self.overhead_ms.append((wall - outside) * 1000)
        elif isinstance(event, ev.ModelRequest) and event.purpose == "action":
            self.prompts.append((event.cycle, event.prompt_chars, event.estimated_prompt_tokens))
        elif isinstance(event, ev.ModelResponse) and event.prompt_tokens and not event.tokens_estimated:
            self.api_reported = True


# ---------------------------------------------------------------- one run
def run_once(
    project: Path, cycles: int, docker_client: Any, record_dir: Path | None
) -> tuple[CycleClock, Any]:
    steps = script(cycles)
    outputs = {a["command"]["args"]["command"]: out for a, out in steps if "command" in a["command"]["args"]}
    watch = Stopwatch()
    clock = CycleClock(watch)
    bus = EventBus()
    bus.subscribe(clock)
    request = RunRequest(project_name=PROJECT, project_path=project, budget=cycles, max_retries=0)
    if record_dir is not None:
        from engine.records.recorder import RunRecorder
        from engine.records.run_state import RunInfo

        info = RunInfo(
            run_id=request.run_id,
            project_name=PROJECT,
            project_path=str(project),
            model="scripted",
            knowledge_model="scripted",
        )
        bus.subscribe(RunRecorder(record_dir / request.run_id, info))
    made: list[Any] = []

    def sandbox_factory(run_id: str, project_name: str) -> Any:
        if docker_client is None:
            made.append(FakeSandbox(run_id, project_name, outputs))
        else:
            from engine.sandbox.ca_bundle import find_ca_bundle
            from engine.sandbox.sandbox import Sandbox

            made.append(
                Sandbox(
                    docker_client, f"bench-{uuid.uuid4().hex[:8]}", project_name, ca_bundle=find_ca_bundle()
                )
            )
        return TimedSandbox(made[-1], watch)

    model = TimedModel(ScriptedModel([a for a, _ in steps], texts=["{}", "no recipe"]), watch)
    try:
        result = run(request, model, model, sandbox_factory, bus)
    finally:
        for sandbox in made:
            if docker_client is not None:
                sandbox.close(keep_images=False)
    return clock, result


def make_project(root: Path) -> Path:
    project = root / PROJECT
    (project / "tests").mkdir(parents=True)
    (project / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (project / "tests" / "test_calc.py").write_text("import unittest\n")
    (project / "README.md").write_text("# calc\n\n## Testing\n\n```\npython3 -m unittest discover\n```\n")
    return project


# ---------------------------------------------------------------- report
def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(cycles: int, mode: str, bus_only: CycleClock, recorded: CycleClock, results: list[Any]) -> None:
    print(f"Scripted run: {cycles} cycles, sandbox: {mode}, model: ScriptedModel (no network)")
    for label, result in zip(("bus only", "with RunRecorder"), results, strict=True):
        print(f"  {label}: outcome {result.outcome}, {result.cycles} cycles, {result.summary}")
    print()
    print("Prompt size per cycle (system + user message of the action request)")
    print("  chars: measured exactly. tokens: OFFLINE ESTIMATE (about 4 chars/token + 4 per message),")
    api = "yes" if bus_only.api_reported else "none: the scripted model reports no API usage"
    print(f"  not a tokenizer count. API-reported token figures in this run: {api}.")
    by_cycle = {cycle: (chars, tokens) for cycle, chars, tokens in bus_only.prompts}
    largest = max(by_cycle, key=lambda c: by_cycle[c][0])
    print(f"  {'cycle':>8} {'chars':>8} {'est. tokens':>12}")
    shown = [c for c in REPORT_CYCLES if c in by_cycle]
    for cycle in shown + ([largest] if largest not in shown else []):
        label = f"{cycle} (max)" if cycle == largest else str(cycle)
        chars, tokens = by_cycle[cycle]
        print(f"  {label:>8} {chars:>8} {tokens:>12}")
    print()
    print("Engine overhead per cycle = cycle wall time - model time - sandbox time (measured, perf_counter)")
    print(f"  {'':18} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}   wall median ms")
    for label, clock in (("bus only", bus_only), ("with RunRecorder", recorded)):
        values = clock.overhead_ms
        print(
            f"  {label:18} {statistics.median(values):10.2f} {p95(values):8.2f} {max(values):8.2f}"
            f"   {statistics.median(clock.wall_ms):8.2f}"
        )
    slowest = sorted(range(len(bus_only.overhead_ms)), key=lambda i: -bus_only.overhead_ms[i])[:5]
    print(
        f"  slowest cycles (bus only): {', '.join(str(i + 1) for i in sorted(slowest))}"
        " -- the seq 1 20000 cycles: ~108 KB of output is parsed for test counts and digested"
    )
    if mode == "docker":
        print(
            "  (docker: output streaming callbacks run inside sandbox calls, so they count as command time)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docker", action="store_true", help="run the commands in a real container")
    parser.add_argument("--cycles", type=int, default=40)
    args = parser.parse_args()
    client = None
    if args.docker:
        from engine.docker_connection import connect_docker

        client = connect_docker(timeout=300)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="agent-overhead-") as tmp:
        project = make_project(Path(tmp))
        bus_only, first = run_once(project, args.cycles, client, None)
        recorded, second = run_once(project, args.cycles, client, Path(tmp) / "runs")
    report(args.cycles, "docker" if client else "in-memory fake", bus_only, recorded, [first, second])
    print(f"\nbench took {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
