"""Labels carried by every container and image the tool creates, so cleanup never touches anything else."""

from __future__ import annotations

import os
import socket
from pathlib import Path

MANAGED = "io.execagent.managed"
RUN_ID = "io.execagent.run-id"
PROJECT = "io.execagent.project"
OWNER = "io.execagent.owner"  # host:pid:process-start-time of the process that created the resource
KIND = "io.execagent.kind"  # "container", "build", "snapshot", "base"

MANAGED_FILTER = {"label": f"{MANAGED}=1"}


def _process_start_time(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "?"
    return stat.rsplit(")", 1)[1].split()[19]


def owner_token(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{socket.gethostname()}:{pid}:{_process_start_time(pid)}"


def resource_labels(run_id: str, project: str, kind: str) -> dict[str, str]:
    return {MANAGED: "1", RUN_ID: run_id, PROJECT: project, KIND: kind, OWNER: owner_token()}


def owner_is_alive(token: str | None) -> bool | None:
    """True/False for an owner on this host; None when the owner lives on another host (unknowable)."""
    if not token or token.count(":") < 2:
        return False
    host, pid_text, start = token.rsplit(":", 2)
    if host != socket.gethostname():
        return None
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    return Path(f"/proc/{pid}").exists() and _process_start_time(pid) == start
