"""JUnit XML reports a command wrote in the container: the proof of a test run that printed no counts.

Gradle prints nothing countable when every test passes, and a runner's output may be redirected; the
reports they leave (build/test-results/**/TEST-*.xml, target/surefire-reports, --junitxml files)
still say what ran. Only files modified after the command started count, so a stale report from an
earlier run never proves anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.sandbox.sandbox import Sandbox

MAX_REPORTS = 2000
MAX_REPORT_BYTES = "-20M"  # find's -size: reports under 20 MiB each
_SEPARATOR = "\x1e"  # ASCII record separator: never in well-formed XML
# Lists the files (NUL-separated) then prints each after a separator line with its path.
_COLLECT = (
    'since="$1"; shift; '
    'find "$@" \\( -name node_modules -o -name .git -o -name .venv -o -name .tox \\) -prune -o '
    f'-type f -name "*.xml" -newermt "@$since" -size {MAX_REPORT_BYTES} '
    "-exec grep -l -s -m1 -e '<testsuite' {} + 2>/dev/null | sort -u | head -n "
    f'{MAX_REPORTS} | while IFS= read -r f; do printf \'{_SEPARATOR}%s\\n\' "$f"; cat "$f"; done'
)


def reports_written_since(sandbox: Sandbox, since_epoch: float, roots: list[str]) -> dict[str, str]:
    """Path → XML text of every JUnit-style report under `roots` modified at or after `since_epoch`."""
    if sandbox.container is None:
        return {}
    existing = [root for root in dict.fromkeys(roots) if root]
    if not existing:
        return {}
    # file times come from the kernel's coarse clock, a few milliseconds behind: allow 50 ms
    since = f"{since_epoch - 0.05:.3f}"
    _code, output = sandbox.exec_quick(["sh", "-c", _COLLECT, "sh", since, *existing])
    reports: dict[str, str] = {}
    for chunk in output.split(_SEPARATOR)[1:]:
        path, _, text = chunk.partition("\n")
        if path and text.lstrip().startswith("<"):
            reports[path] = text
    return reports
