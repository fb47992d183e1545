"""Everything a run leaves on disk, written by subscribers of the event stream (never by the agent)."""

from engine.records.layout import WorkspaceLayout
from engine.records.recorder import RunRecorder

__all__ = ["RunRecorder", "WorkspaceLayout"]
