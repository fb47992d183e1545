"""Several projects, N at a time: isolated containers and run dirs, Ctrl-C stops them all, one summary."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime
from pathlib import Path

import docker
from pydantic import BaseModel

from engine.control import ControlChannel
from engine.exit_codes import ExitCode, UserFacingError
from engine.headless import HeadlessView
from engine.records.atomic_files import write_json_atomic
from engine.run_launcher import LaunchedRun, LaunchSettings, launch_run
from engine.sandbox import live_registry
from engine.selection import ProjectTarget

STOP_GRACE_S = 60.0


class BatchRow(BaseModel):
    project: str
    outcome: str  # success, failed, stopped, error, not started
    passed: int | None = None
    failed: int | None = None
    cycles: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0
    run_dir: str | None = None
    detail: str = ""


class BatchReport(BaseModel):
    rows: list[BatchRow]
    interrupted: bool = False
    summary_file: Path | None = None

    @property
    def exit_code(self) -> ExitCode:
        if self.interrupted:
            return ExitCode.INTERRUPTED
        ok = bool(self.rows) and all(row.outcome == "success" for row in self.rows)
        return ExitCode.OK if ok else ExitCode.FAILED


def _row(target: ProjectTarget, launched: LaunchedRun | None, error: str, seconds: float) -> BatchRow:
    if launched is None:
        return BatchRow(project=target.name, outcome="error" if error else "not started", detail=error)
    result = launched.result
    row = BatchRow(project=target.name, outcome="error", run_dir=str(launched.run_dir), seconds=seconds)
    if result is None:
        row.detail = launched.error or error
        return row
    row.outcome, row.cycles, row.cost_usd, row.detail = (
        result.outcome,
        result.cycles,
        result.cost_usd,
        result.summary,
    )
    if result.test_summary is not None:
        row.passed, row.failed = result.test_summary.passed, result.test_summary.failed
    return row


def run_batch(
    targets: list[ProjectTarget],
    settings: LaunchSettings,
    *,
    client: docker.DockerClient,
    parallel: int = 1,
    view: HeadlessView | None = None,
) -> BatchReport:
    view = view or HeadlessView()
    controls: dict[int, ControlChannel] = {}
    started: dict[int, LaunchedRun] = {}
    rows: dict[int, BatchRow] = {}

    def job(index: int, target: ProjectTarget) -> None:
        begin = time.monotonic()
        control = controls[index] = ControlChannel()
        launched, error = None, ""
        try:
            launched = launch_run(
                target,
                settings,
                client=client,
                subscribers=[view.subscriber(target.name)],
                control=control,
                on_started=lambda run: started.__setitem__(index, run),
            )
        except UserFacingError as exc:
            error = str(exc)
        except Exception as exc:  # one broken project must not end the batch
            error = f"{type(exc).__name__}: {exc}"
        rows[index] = _row(target, launched or started.get(index), error, time.monotonic() - begin)

    interrupted = False
    previous_term = _term_as_interrupt()
    pool = ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="run")
    futures: list[Future] = [pool.submit(job, i, t) for i, t in enumerate(targets)]
    try:
        pending = set(futures)
        while pending:
            _done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
    except KeyboardInterrupt:
        interrupted = True
        print("\nstopping every run (containers are being removed)...", flush=True)
        for future in futures:
            future.cancel()
        for control in list(controls.values()):
            control.stop()
        live_registry.close_all()  # commands blocked in a container end when it goes away
        wait(futures, timeout=STOP_GRACE_S)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        _restore_term(previous_term)
        view.finish()
    report_rows = []
    for index, target in enumerate(targets):
        row = rows.get(index) or _row(target, started.get(index), "", 0.0)
        if interrupted and row.outcome in ("error", "not started") and index in started:
            row.outcome = "stopped"
        report_rows.append(row)
    report = BatchReport(rows=report_rows, interrupted=interrupted)
    report.summary_file = _write_summary(report, settings)
    return report


def _term_as_interrupt():
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(_signum, _frame) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)


def _restore_term(previous) -> None:
    if previous is not None and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, previous)


def _write_summary(report: BatchReport, settings: LaunchSettings) -> Path:
    folder = settings.layout.run_logs / "_batches" / datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
    path = folder / "summary.json"
    write_json_atomic(
        path,
        {
            "interrupted": report.interrupted,
            "succeeded": sum(row.outcome == "success" for row in report.rows),
            "total": len(report.rows),
            "projects": [row.model_dump() for row in report.rows],
        },
    )
    return path


def format_table(rows: list[BatchRow]) -> str:
    header = ("project", "outcome", "passed", "failed", "cycles", "cost", "time")
    body = [
        (
            row.project,
            row.outcome,
            "-" if row.passed is None else str(row.passed),
            "-" if row.failed is None else str(row.failed),
            str(row.cycles),
            f"${row.cost_usd:.4f}",
            f"{row.seconds:.0f}s",
        )
        for row in rows
    ]
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [header, *body]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
