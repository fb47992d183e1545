"""Reopening a killed run's directory: where it stopped, and what can be replayed to get back there."""

from __future__ import annotations

from pathlib import Path

from engine import events as ev
from engine.records.atomic_files import write_text_atomic
from engine.records.recorder import RunRecorder
from engine.records.recording_model import ModelCall
from engine.records.redaction import Redactor
from engine.records.run_state import Position, RunState, read_state


class NothingToResume(Exception):
    """The run directory cannot be resumed (finished, or no cycle was completed)."""


def _kept_events(events: list[ev.AnyEvent]) -> tuple[list[ev.AnyEvent], Position, bool]:
    """Events up to the last completed cycle (and the end/summary of its attempt, if recorded)."""
    last = max((i for i, e in enumerate(events) if isinstance(e, ev.CycleEnded)), default=None)
    if last is None:
        raise NothingToResume("no cycle was completed before the run stopped; start it again instead")
    ended = events[last]
    assert isinstance(ended, ev.CycleEnded)
    kept = events[: last + 1]
    summarised = False
    for event in events[last + 1 :]:
        if isinstance(event, ev.AttemptEnded) and event.attempt == ended.attempt:
            kept.append(event)
        elif isinstance(event, ev.AttemptSummary) and event.attempt == ended.attempt:
            kept.append(event)
            summarised = True
        elif isinstance(event, ev.OutputChunk | ev.BuildLogLine | ev.ModelRequest | ev.ModelResponse):
            continue
        else:
            break
    return kept, Position(attempt=ended.attempt, cycle=ended.cycle), summarised


def _replayable(call: ModelCall, point: Position, summarised: bool) -> bool:
    where, mark = (call.attempt, call.cycle), (point.attempt, point.cycle)
    if where < mark:
        return True
    return where == mark and (
        call.purpose in ev.IN_CYCLE_PURPOSES or (summarised and call.purpose == "attempt_summary")
    )


def reopen(run_dir: Path, redact: Redactor) -> tuple[RunRecorder, list[ModelCall], RunState]:
    """A recorder holding the killed run's completed cycles, and the model calls to replay."""
    state = read_state(run_dir)
    if state is None:
        raise NothingToResume(f"{run_dir} has no readable state.json")
    if state.status == "finished":
        raise NothingToResume(f"the run in {run_dir} already finished ({state.outcome})")
    lines = (run_dir / "run.jsonl").read_text(encoding="utf-8").splitlines()
    events = []
    for line in lines:
        try:
            events.append(ev.parse_event(line))
        except ValueError:
            break  # a line cut short by the kill
    kept, point, summarised = _kept_events(events)
    write_text_atomic(run_dir / "run.jsonl", "".join(e.model_dump_json() + "\n" for e in kept))

    calls_path = run_dir / "model_calls.jsonl"
    calls = []
    if calls_path.exists():
        for line in calls_path.read_text(encoding="utf-8").splitlines():
            try:
                calls.append(ModelCall.model_validate_json(line))
            except ValueError:
                break
    calls = [c for c in calls if _replayable(c, point, summarised)]
    write_text_atomic(calls_path, "".join(c.model_dump_json() + "\n" for c in calls))

    info = state.info
    recorder = RunRecorder(run_dir, info, redact)
    recorder._loading = True
    for event in kept:
        recorder.absorb(event)
    recorder._loading = False
    recorder.chats.load()
    recorder.chats.keep_until(point.attempt, point.cycle, summarised)
    recorder.state.resumed = state.resumed + 1
    recorder.resume_point, recorder.resume_summarised = point, summarised
    recorder.save_state()
    return recorder, calls, recorder.state
