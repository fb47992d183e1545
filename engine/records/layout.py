"""Where things live in the workspace: run logs, metadata files and project source copies."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import platformdirs

WORKSPACE_ENV = "EXECAGENT_WORKSPACE"
RUN_LOGS = "_run_logs"


def default_workspace_root() -> Path:
    """$EXECAGENT_WORKSPACE, else a folder under the user data dir."""
    configured = os.environ.get(WORKSPACE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("execagent-tui")) / "workspace"


class WorkspaceLayout:
    """`<root>/_run_logs/<project>/<timestamp>/`, `<root>/metadata/meta_<project>.json`, `<root>/<project>/`

    (the project's source copy)."""

    def __init__(self, root: Path | str | None = None, run_log_dir: Path | str | None = None) -> None:
        self.root = Path(root).expanduser() if root else default_workspace_root()
        self.run_logs = Path(run_log_dir).expanduser() if run_log_dir else self.root / RUN_LOGS

    def metadata_file(self, project: str) -> Path:
        return self.root / "metadata" / f"meta_{project}.json"

    def source_dir(self, project: str) -> Path:
        return self.root / project

    def new_run_dir(self, project: str, now: datetime | None = None) -> Path:
        """A fresh, unique run folder; parallel runs of one project never share one."""
        stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H-%M-%S")
        base = self.run_logs / project
        base.mkdir(parents=True, exist_ok=True)
        for index in range(1000):
            candidate = base / (stamp if index == 0 else f"{stamp}_{index}")
            try:
                candidate.mkdir()
            except FileExistsError:
                continue
            return candidate
        raise RuntimeError(f"no free run folder under {base}")

    def run_dirs(self) -> list[Path]:
        """Every run folder, newest first."""
        if not self.run_logs.is_dir():
            return []
        found = [d for d in self.run_logs.glob("*/*") if d.is_dir() and (d / "run.jsonl").exists()]
        return sorted(found, key=lambda d: d.stat().st_mtime, reverse=True)

    def latest_run_dir(self, project: str) -> Path | None:
        runs = [d for d in self.run_dirs() if d.parent.name == project]
        return runs[0] if runs else None
