"""Flood the TUI's shell pane with 1,000,000 lines and measure what a person would notice.

    python bench/tui_flood.py [--lines 1000000] [--chunk 100]

Prints: lines/s produced and displayed (written into the shell pane's Log), the worst and median
key-press-to-screen latency while the flood runs (a key typed into the search box, timed until the frame
that shows it is painted), peak RSS of the process, and the time to the first frame. Runs headless
(App.run_test), so terminal I/O is not part of the figures. Targets: >= 20,000 lines/s displayed,
< 50 ms latency, <= 250 MB, <= 1 s to first frame.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before Textual and the app are imported: part of the time to first frame

import argparse  # noqa: E402
import asyncio  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events, on  # noqa: E402
from textual.widgets import Input  # noqa: E402

from engine.control import ControlChannel  # noqa: E402
from engine.events import EventBus, OutputChunk, RunFinished, RunStarted  # noqa: E402
from tui.app import ExecAgentApp  # noqa: E402
from tui.project_entry import ProjectEntry  # noqa: E402
from tui.settings import TuiSettings  # noqa: E402
from tui.widgets.shell_pane import ShellPane  # noqa: E402


class FloodStarter:
    """A run that prints `lines` lines as fast as the bus takes them, like a very chatty build."""

    def __init__(self, lines: int, chunk: int) -> None:
        self.lines, self.chunk = lines, chunk
        self.produced_in = 0.0
        self.done = threading.Event()

    def start(self, project: ProjectEntry, bus: EventBus, control: ControlChannel, on_run_dir) -> None:
        run_id = "flood"
        bus.emit(
            RunStarted(
                run_id=run_id,
                project_name=project.name,
                project_path=".",
                language="c",
                budget=1,
                max_retries=0,
                model="flood",
                knowledge_model="flood",
            )
        )
        begin = time.perf_counter()
        for first in range(0, self.lines, self.chunk):
            last = min(first + self.chunk, self.lines)
            text = "".join(
                f"[{n:07d}] compiling src/module_{n % 977}.c -O2 -Wall -Wextra -fPIC\n"
                for n in range(first, last)
            )
            bus.emit(OutputChunk(run_id=run_id, text=text))
        self.produced_in = time.perf_counter() - begin
        self.done.set()
        bus.emit(RunFinished(run_id=run_id, outcome="success", summary="flood done", cycles=1, attempts=1))

    def cleanup(self) -> None:
        pass


class MeasuredApp(ExecAgentApp):
    """Times each search-box keystroke until the frame that shows its effect is painted."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pressed_at: float | None = None
        self.latencies: list[float] = []

    @on(Input.Changed, "#project-search")
    def _typed(self) -> None:
        if self.pressed_at is not None:
            pressed, self.pressed_at = self.pressed_at, None
            self.call_after_refresh(lambda: self.latencies.append(time.perf_counter() - pressed))


async def flood(lines: int, chunk: int) -> dict[str, float]:
    starter = FloodStarter(lines, chunk)
    project = ProjectEntry(name="flood", language="C", location=".", source="path")
    with tempfile.TemporaryDirectory() as workdir:
        app = MeasuredApp(starter, TuiSettings(workspace=Path(workdir)), projects=[project])
        async with app.run_test(size=(160, 48)):
            first_frame = time.perf_counter() - STARTED
            shell = app.query_one(ShellPane)
            search = app.query_one("#project-search", Input)
            begin = time.perf_counter()
            app.action_start()  # not pilot.press: it waits for an idle app, and the flood is never idle
            typed = 0
            while not starter.done.is_set() or shell.seen < shell.buffer.total:
                search.focus()
                app.pressed_at = time.perf_counter()
                key = "x" if typed % 2 == 0 else "backspace"
                app.post_message(events.Key(key, "x" if key == "x" else None))
                typed += 1
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - begin - 0.05  # the last sleep is not display time
            displayed = shell.lines_written
    return {
        "first_frame_s": first_frame,
        "produced_per_s": lines / starter.produced_in if starter.produced_in else 0.0,
        "displayed_lines": displayed,
        "displayed_per_s": displayed / elapsed,
        "elapsed_s": elapsed,
        "keys": len(app.latencies),
        "worst_latency_ms": max(app.latencies) * 1000 if app.latencies else float("nan"),
        "median_latency_ms": statistics.median(app.latencies) * 1000 if app.latencies else float("nan"),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=100, help="lines per OutputChunk event")
    args = parser.parse_args()
    figures = asyncio.run(flood(args.lines, args.chunk))
    print(
        f"lines produced:        {args.lines:,} in chunks of {args.chunk}"
        f" ({figures['produced_per_s']:,.0f} lines/s)"
    )
    print(
        f"lines displayed:       {figures['displayed_lines']:,.0f} in {figures['elapsed_s']:.1f} s"
        f" = {figures['displayed_per_s']:,.0f} lines/s (target >= 20,000)"
    )
    print(
        f"key-press to screen:   worst {figures['worst_latency_ms']:.1f} ms, median"
        f" {figures['median_latency_ms']:.1f} ms over {figures['keys']} keys (target < 50 ms)"
    )
    print(f"peak RSS:              {figures['peak_rss_mb']:.0f} MB (target <= 250 MB)")
    print(f"time to first frame:   {figures['first_frame_s']:.2f} s (target <= 1 s, headless)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
