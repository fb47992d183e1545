"""`execagent-tui selfcheck`: exercise every part of the sandbox on this machine, one line per step."""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from engine.docker_connection import connect_docker
from engine.exit_codes import ExitCode
from engine.sandbox.base_images import DEFAULT_BASE_IMAGE, image_exists
from engine.sandbox.ca_bundle import find_ca_bundle
from engine.sandbox.sandbox import Sandbox, SandboxError


def run_selfcheck(image: str | None = None, ca_bundle: str | None = None) -> int:
    image = image or DEFAULT_BASE_IMAGE
    client = connect_docker()
    failures = 0

    def step(name: str, action: Callable[[], str]) -> None:
        nonlocal failures
        started = time.monotonic()
        try:
            detail = action()
            status = "ok  "
        except (AssertionError, SandboxError) as exc:
            detail, status = str(exc) or "check failed", "FAIL"
            failures += 1
        print(f"{status} {name:<28} {detail} ({time.monotonic() - started:.2f}s)", flush=True)

    if not image_exists(client, image):
        print(f"FAIL image {image} is missing: run `execagent-tui images bootstrap`")
        return ExitCode.NOT_READY
    sandbox = Sandbox(
        client,
        f"selfcheck-{uuid.uuid4().hex[:8]}",
        "selfcheck",
        ca_bundle=find_ca_bundle(ca_bundle),
    )
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "hello.txt").write_text("hello from the host\n")
        try:
            step("start container", lambda: _start(sandbox, image, Path(tmp)))
            step(
                "project copied in",
                lambda: _expect(sandbox, "cat hello.txt", "hello from the host"),
            )
            step("cwd and env persist", lambda: _persistence(sandbox))
            step("exit codes", lambda: _exit_code(sandbox))
            step("timeout kills, shell stays", lambda: _timeout(sandbox))
            step("files: write, read, refuse", lambda: _files(sandbox))
            step("snapshot and rollback", lambda: _rollback(sandbox))
        finally:
            sandbox.close(keep_images=False)
    step("cleanup", lambda: _gone(client, sandbox.container_name))
    print("selfcheck passed" if not failures else f"selfcheck: {failures} step(s) failed")
    return ExitCode.OK if not failures else ExitCode.FAILED


def _start(sandbox: Sandbox, image: str, source: Path) -> str:
    sandbox.start(image, source_dir=source)
    return f"{sandbox.container_name} from {image}"


def _expect(sandbox: Sandbox, command: str, expected: str) -> str:
    outcome = sandbox.run(command, timeout=30)
    assert expected in outcome.output, f"expected {expected!r}, got {outcome.output[-200:]!r}"
    return outcome.output.strip().splitlines()[-1]


def _persistence(sandbox: Sandbox) -> str:
    sandbox.run("cd /tmp && export SELFCHECK_VAR=kept", timeout=30)
    return _expect(sandbox, 'echo "$PWD $SELFCHECK_VAR"', "/tmp kept")


def _exit_code(sandbox: Sandbox) -> str:
    outcome = sandbox.run("sh -c 'exit 7'", timeout=30)
    assert outcome.exit_code == 7, f"expected exit code 7, got {outcome.exit_code}"
    return "exit 7 reported as 7"


def _timeout(sandbox: Sandbox) -> str:
    outcome = sandbox.run("sleep 60", timeout=2, stuck_after=30)
    assert outcome.status == "timed_out", f"expected timed_out, got {outcome.status}"
    _expect(sandbox, 'echo "$SELFCHECK_VAR"', "kept")
    return f"sleep 60 stopped after {outcome.duration_s:.1f}s"


def _files(sandbox: Sandbox) -> str:
    written = sandbox.write_file("notes/a.txt", "written by selfcheck")
    assert sandbox.read_file(written) == "written by selfcheck", "read back differs"
    try:
        sandbox.write_file("/proc/escape", "x")
    except SandboxError:
        return f"{written} written and read; /proc refused"
    raise AssertionError("a write to /proc was not refused")


def _rollback(sandbox: Sandbox) -> str:
    snapshot = sandbox.snapshot()
    sandbox.run("rm -f /tmp/notes/a.txt", timeout=30)
    sandbox.rollback(snapshot)
    _expect(sandbox, "cat /tmp/notes/a.txt", "written by selfcheck")
    return f"file restored from {snapshot}"


def _gone(client, name: str) -> str:
    remaining = client.containers.list(all=True, filters={"name": name})
    assert not remaining, f"container {name} still exists"
    return "container removed"
