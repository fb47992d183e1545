"""One long-lived shell per container: cd, exports and activated venvs persist across commands.

The shell is a single `docker exec` with stdin attached. Each command is sent base64-encoded and
`eval`ed in the shell itself, followed by a sentinel line carrying its exit code. A reader thread
demultiplexes the stream; the caller's thread only ever waits with a deadline, so a silent command
never blocks the engine. docker-py cannot stop an exec, so timeouts kill the command's process tree
from a second exec inside the container, and if even that fails the shell is replaced by a new one
that restores the saved cwd and environment.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import secrets
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from docker import APIClient

from engine.output_digest import BoundedText

OutputCallback = Callable[[str], None]
Status = Literal["finished", "stuck", "timed_out", "terminated", "shell_restarted"]

STATE_DIR = "/tmp/.execagent-shell"
DEFAULT_TIMEOUT_S = 1800.0
DEFAULT_STUCK_AFTER_S = 300.0
KILL_GRACE_S = 5.0

# Kills every descendant of the shell ($1) with signal $2, sparing background jobs listed in $3.
# Uses /proc/<pid>/stat only: no ps/pkill in minimal images, and /proc/<pid>/task/*/children is
# not available on every kernel.
KILL_TREE_SCRIPT = r"""
root=$1; sig=$2; spare=" $(cat "$3" 2>/dev/null | tr '\n' ' ') "
pairs=""
for st in /proc/[0-9]*/stat; do
  s=$(cat "$st" 2>/dev/null) || continue
  pid=${s%% *}; rest=${s##*) }; set -- $rest
  pairs="$pairs $pid:$2"
done
targets=""; frontier=" $root "
while [ -n "$(echo $frontier)" ]; do
  next=" "
  for pair in $pairs; do
    pid=${pair%%:*}; ppid=${pair##*:}
    case "$frontier" in *" $ppid "*)
      case "$spare" in *" $pid "*) continue;; esac
      targets="$targets $pid"; next="$next$pid ";;
    esac
  done
  frontier=$next
done
[ -n "$targets" ] && kill -s "$sig" $targets 2>/dev/null
echo "killed:$targets"
"""


@dataclass
class CommandOutcome:
    status: Status
    exit_code: int | None  # None while the command is still running (stuck)
    output: str  # everything printed so far by this command (stdout and stderr merged)
    duration_s: float
    cwd: str | None = None
    note: str = ""

    @property
    def still_running(self) -> bool:
        return self.status == "stuck"


class ShellError(RuntimeError):
    pass


class _Running:
    """Book-keeping for the command in flight."""

    def __init__(self, seq: int, on_output: OutputCallback | None) -> None:
        self.seq = seq
        self.on_output = on_output
        self.output = BoundedText()
        self.started = time.monotonic()
        self.last_output = self.started
        self.exit_code: int | None = None
        self.cwd: str | None = None
        self.done = False


class PersistentShell:
    def __init__(
        self,
        api: APIClient,
        container_id: str,
        *,
        workdir: str | None = None,
        shell: str = "/bin/bash",
        on_output: OutputCallback | None = None,
    ) -> None:
        self._api = api
        self._container_id = container_id
        self._workdir = workdir
        self._shell = shell
        self._default_on_output = on_output
        self._nonce = secrets.token_hex(6)
        self._marker = f"__EA_{self._nonce}_"
        self._lock = threading.Condition()
        self._seq = 0
        self._running: _Running | None = None
        self._pending = ""  # decoded text not yet attributed (may hold a partial sentinel)
        self._shell_pid: int | None = None
        self._alive = False
        self._sock = None
        self._reader: threading.Thread | None = None
        self.restarts = 0

    # ----------------------------------------------------------------- lifecycle
    def start(self, restore_state: bool = False) -> None:
        exec_id = self._api.exec_create(
            self._container_id,
            [self._shell, "--noprofile", "--norc"] if self._shell.endswith("bash") else [self._shell],
            stdin=True,
            tty=False,
            workdir=self._workdir,
        )["Id"]
        self._exec_id = exec_id
        self._sock = self._api.exec_start(exec_id, socket=True)
        self._raw = getattr(self._sock, "_sock", self._sock)
        self._alive = True
        self._pending = ""
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._reader = threading.Thread(target=self._read_loop, name="shell-reader", daemon=True)
        self._reader.start()
        restore = (
            f'. {STATE_DIR}/env.sh 2>/dev/null; cd "$(cat {STATE_DIR}/cwd 2>/dev/null || pwd)" 2>/dev/null; '
            if restore_state
            else ""
        )
        # stderr joins stdout so the model sees messages in the order they were printed.
        self._send(f"exec 2>&1; mkdir -p {STATE_DIR}; {restore}printf '{self._marker}PID=%s__\\n' $$\n")
        deadline = time.monotonic() + 30
        with self._lock:
            while self._shell_pid is None and self._alive:
                if not self._lock.wait(timeout=max(0.0, deadline - time.monotonic())):
                    break
        if self._shell_pid is None:
            raise ShellError(f"the shell {self._shell} did not start in the container")

    def close(self) -> None:
        self._alive = False
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._raw.close()
            with contextlib.suppress(OSError):
                self._sock.close()
        self._sock = None

    @property
    def busy(self) -> bool:
        return self._running is not None and not self._running.done

    @property
    def alive(self) -> bool:
        return self._alive

    # ----------------------------------------------------------------- commands
    def run(
        self,
        command: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        stuck_after: float = DEFAULT_STUCK_AFTER_S,
        on_output: OutputCallback | None = None,
    ) -> CommandOutcome:
        """Run `command` in the shell; returns when it finishes, times out, or prints nothing for
        `stuck_after` seconds (status "stuck": answer with wait(), write() or terminate())."""
        if self.busy:
            raise ShellError("a command is still running: wait, write to it or terminate it first")
        if not self._alive:
            self._restart()
        self._seq += 1
        running = _Running(self._seq, on_output or self._default_on_output)
        with self._lock:
            self._running = running
        encoded = base64.b64encode(command.encode()).decode()
        marker = f"{self._marker}{running.seq}_"
        self._send(
            f"jobs -p > {STATE_DIR}/jobs 2>/dev/null; "
            f"eval \"$(printf '%s' '{encoded}' | base64 -d)\"; __ea_rc=$?; "
            f"export -p > {STATE_DIR}/env.sh 2>/dev/null; pwd > {STATE_DIR}/cwd 2>/dev/null; "
            f'printf \'\\n{marker}RC=%s_CWD=%s__\\n\' "$__ea_rc" "$PWD"\n'
        )
        return self._await(running, timeout, stuck_after)

    def wait(self, seconds: float = DEFAULT_STUCK_AFTER_S, timeout: float | None = None) -> CommandOutcome:
        """Keep waiting on a stuck command for up to another `seconds` of silence."""
        running = self._require_running()
        remaining = timeout if timeout is not None else DEFAULT_TIMEOUT_S
        running.last_output = time.monotonic()
        return self._await(running, remaining, seconds, measured_from_now=True)

    def write(self, text: str, stuck_after: float = 30.0) -> CommandOutcome:
        """Send `text` plus a newline to the stuck command's stdin (e.g. "y"), then keep waiting."""
        running = self._require_running()
        self._send(text if text.endswith("\n") else text + "\n")
        running.last_output = time.monotonic()
        return self._await(running, DEFAULT_TIMEOUT_S, stuck_after, measured_from_now=True)

    def terminate(self) -> CommandOutcome:
        """Kill the command (TERM, then KILL), keeping the shell and its cwd/env when possible."""
        running = self._require_running()
        return self._kill(running, status="terminated")

    # ----------------------------------------------------------------- internals
    def _require_running(self) -> _Running:
        if not self.busy or self._running is None:
            raise ShellError("no command is running")
        return self._running

    def _await(
        self,
        running: _Running,
        timeout: float,
        stuck_after: float,
        measured_from_now: bool = False,
    ) -> CommandOutcome:
        start = time.monotonic() if measured_from_now else running.started
        deadline = start + timeout
        with self._lock:
            while not running.done and self._alive:
                now = time.monotonic()
                if now >= deadline:
                    break
                silent_for = now - running.last_output
                if silent_for >= stuck_after:
                    return self._outcome(running, "stuck", note=f"no output for {silent_for:.0f}s")
                self._lock.wait(timeout=min(deadline - now, stuck_after - silent_for, 1.0))
        if running.done:
            return self._outcome(running, "finished")
        if not self._alive:
            return self._shell_died(running)
        return self._kill(running, status="timed_out", note=f"timed out after {timeout:.0f}s")

    def _kill(self, running: _Running, status: Status, note: str = "") -> CommandOutcome:
        for signal_name in ("TERM", "KILL"):
            if not self._kill_tree(signal_name):
                break  # nothing to kill: the shell itself is blocked in a builtin
            deadline = time.monotonic() + KILL_GRACE_S
            with self._lock:
                while not running.done and self._alive and time.monotonic() < deadline:
                    self._lock.wait(timeout=0.2)
            if running.done:
                return self._outcome(running, status, note=note or f"killed with SIG{signal_name}")
        # The shell itself is blocked (e.g. a `read` builtin): replace it, restoring cwd and env.
        self._restart()
        running.done = True
        return self._outcome(
            running,
            "shell_restarted" if status == "terminated" else status,
            note=(note + "; " if note else "") + "the shell was restarted (cwd and env restored)",
        )

    def _kill_tree(self, signal_name: str) -> bool:
        """Signal the command's processes; False when there was none to signal."""
        if self._shell_pid is None:
            return False
        exec_id = self._api.exec_create(
            self._container_id,
            [
                "sh",
                "-c",
                KILL_TREE_SCRIPT,
                "sh",
                str(self._shell_pid),
                signal_name,
                f"{STATE_DIR}/jobs",
            ],
        )["Id"]
        report = self._api.exec_start(exec_id).decode(errors="replace")
        return bool(report.partition("killed:")[2].strip())

    def _shell_died(self, running: _Running) -> CommandOutcome:
        code = None
        with contextlib.suppress(Exception):  # the container itself may be gone
            code = self._api.exec_inspect(self._exec_id).get("ExitCode")
        running.done = True
        running.exit_code = code
        self._restart()
        return self._outcome(
            running,
            "shell_restarted",
            note="the shell exited (e.g. `exit`); a new one restored cwd and env",
        )

    def _restart(self) -> None:
        self.close()
        self._shell_pid = None
        self.restarts += 1
        self.start(restore_state=True)

    def _outcome(self, running: _Running, status: Status, note: str = "") -> CommandOutcome:
        if status != "stuck":
            self._running = None if running.done else self._running
        return CommandOutcome(
            status=status,
            exit_code=running.exit_code if running.done else None,
            output=running.output.text(),
            duration_s=time.monotonic() - running.started,
            cwd=running.cwd,
            note=note,
        )

    def _send(self, text: str) -> None:
        try:
            self._raw.sendall(text.encode())
        except OSError as exc:
            self._alive = False
            raise ShellError(f"the shell's input is closed: {exc}") from None

    # ----------------------------------------------------------------- reader thread
    def _read_loop(self) -> None:
        try:
            while True:
                header = self._read_exact(8)
                if header is None:
                    break
                _stream, size = struct.unpack(">BxxxL", header)
                payload = self._read_exact(size)
                if payload is None:
                    break
                self._consume(self._decoder.decode(payload))
        except OSError:
            pass
        finally:
            with self._lock:
                self._alive = False
                self._lock.notify_all()

    def _read_exact(self, size: int) -> bytes | None:
        chunks, remaining = [], size
        while remaining:
            chunk = self._raw.recv(remaining)
            if not chunk:
                return None
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def _consume(self, text: str) -> None:
        deliver: list[tuple[_Running, str]] = []
        with self._lock:
            self._pending += text
            while True:
                index = self._pending.find(self._marker)
                if index < 0:
                    break
                end = self._pending.find("__\n", index + len(self._marker))
                if end < 0:
                    break  # sentinel not complete yet
                body = self._pending[index + len(self._marker) : end]
                before = self._pending[:index]
                self._pending = self._pending[end + 3 :]
                self._handle_sentinel(body, before, deliver)
            running = self._running
            if running is not None and not running.done and self._pending:
                # Hold back a tail that might be the start of a sentinel split across frames.
                keep = _partial_suffix(self._pending, "\n" + self._marker)
                emit = self._pending[: len(self._pending) - keep]
                self._pending = self._pending[len(emit) :]
                if emit:
                    self._record(running, emit, deliver)
            self._lock.notify_all()
        for target, chunk in deliver:
            if target.on_output is not None:
                target.on_output(chunk)

    def _handle_sentinel(self, body: str, before: str, deliver: list) -> None:
        if body.startswith("PID="):
            self._shell_pid = int(body[4:])
            return
        seq_text, _, rest = body.partition("_RC=")
        running = self._running
        if running is None or seq_text != str(running.seq):
            return
        if before.endswith("\n"):
            before = before[:-1]  # the newline the sentinel printf added
        if before:
            self._record(running, before, deliver)
        code_text, _, cwd = rest.partition("_CWD=")
        running.exit_code = int(code_text) if code_text.lstrip("-").isdigit() else None
        running.cwd = cwd
        running.done = True

    @staticmethod
    def _record(running: _Running, text: str, deliver: list) -> None:
        running.output.append(text)
        running.last_output = time.monotonic()
        deliver.append((running, text))


def _partial_suffix(text: str, pattern: str) -> int:
    """Length of the longest suffix of `text` that is a prefix of `pattern`."""
    for length in range(min(len(pattern), len(text)), 0, -1):
        if text.endswith(pattern[:length]):
            return length
    return 0
