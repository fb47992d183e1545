"""The sandboxes alive in this process, so SIGINT/SIGTERM can remove their containers before exit."""

from __future__ import annotations

import signal
import sys
import threading
import weakref
from typing import Protocol


class Closable(Protocol):
    def close(self, keep_images: bool = True) -> None: ...


_live: weakref.WeakSet = weakref.WeakSet()
_lock = threading.Lock()


def add(sandbox: Closable) -> None:
    with _lock:
        _live.add(sandbox)


def discard(sandbox: Closable) -> None:
    with _lock:
        _live.discard(sandbox)


def close_all() -> int:
    """Close every live sandbox; returns how many were closed."""
    with _lock:
        sandboxes = list(_live)
    for sandbox in sandboxes:
        try:
            sandbox.close()
        except Exception as exc:  # keep cleaning the others
            print(f"cleanup: {exc}", file=sys.stderr)
    return len(sandboxes)


def install_signal_cleanup() -> None:
    """On SIGINT/SIGTERM remove this process's containers, then exit 130/143."""

    def handler(signum: int, _frame) -> None:
        signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        closed = close_all()
        name = "SIGINT" if signum == signal.SIGINT else "SIGTERM"
        print(f"{name}: stopped, {closed} container(s) removed", file=sys.stderr)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
