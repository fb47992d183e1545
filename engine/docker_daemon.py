"""Installing and starting a local Docker engine on Debian-like hosts (`doctor --fix`, `daemon`)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import platformdirs

from engine.exit_codes import UserFacingError

SOCKET = Path("/var/run/docker.sock")
LogCallback = Callable[[str], None]


def state_dir() -> Path:
    path = Path(platformdirs.user_state_dir("execagent-tui"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def pid_file() -> Path:
    return state_dir() / "dockerd.pid"


def log_file() -> Path:
    return state_dir() / "dockerd.log"


def require_root(action: str) -> None:
    if os.geteuid() != 0:
        raise UserFacingError(f"{action} needs root: re-run with sudo")


def install_packages(packages: list[str], on_log: LogCallback = print) -> None:
    require_root("installing packages")
    if shutil.which("apt-get") is None:
        raise UserFacingError(
            f"cannot install {', '.join(packages)}: no apt-get here; install them with your package manager"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        on_log("$ " + " ".join(command))
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise UserFacingError(f"`{' '.join(command)}` failed: {last[0]}")


def start_dockerd(on_log: LogCallback = print, wait_s: float = 60.0) -> int:
    """Start dockerd detached (its own session, output to a log file); returns its pid."""
    require_root("starting dockerd")
    if shutil.which("dockerd") is None:
        raise UserFacingError("dockerd is not installed; run `execagent-tui doctor --fix` as root")
    with open(log_file(), "ab") as log:
        process = subprocess.Popen(
            ["dockerd"], stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
    pid_file().write_text(str(process.pid))
    on_log(f"started dockerd (pid {process.pid}, log {log_file()})")
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UserFacingError(f"dockerd exited with code {process.returncode}; see {log_file()}")
        if _socket_answers():
            return process.pid
        time.sleep(0.5)
    raise UserFacingError(f"dockerd did not answer within {wait_s:.0f}s; see {log_file()}")


def stop_dockerd(on_log: LogCallback = print, wait_s: float = 30.0) -> bool:
    """Stop a dockerd that this tool started (never one started by someone else)."""
    path = pid_file()
    if not path.exists():
        on_log("no dockerd started by execagent-tui is recorded; nothing to stop")
        return False
    pid = int(path.read_text().strip() or 0)
    path.unlink()
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        on_log(f"dockerd (pid {pid}) was not running")
        return False
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.3)
    on_log(f"stopped dockerd (pid {pid})")
    return True


def _socket_answers() -> bool:
    import docker

    try:
        docker.DockerClient(base_url=f"unix://{SOCKET}", timeout=5).ping()
    except Exception:
        return False
    return True
