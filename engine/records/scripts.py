"""The shell scripts a run leaves behind: commands.sh, launch.sh and replay_trace.sh."""

from __future__ import annotations

import secrets
import shlex

from engine.records.steps import Step

LAUNCH_SCRIPT = r"""#!/usr/bin/env bash
# Rebuilds the image from the recorded Dockerfile, copies the project in and re-runs the recorded
# commands and tests in one shell. Usage: {script} [--keep-container] [--source DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${{BASH_SOURCE[0]}}")" && pwd)"
SOURCE="${{EXECAGENT_SOURCE:-{source}}}"
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --keep-container) KEEP=1 ;;
    --source) SOURCE="$2"; shift ;;
    -h|--help) sed -n '2,3p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done
TAG="{tag}"
NAME="{name_prefix}-$$"
echo "== building $TAG from $HERE/{dockerfile} (context $SOURCE)"
docker build -q -t "$TAG" -f "$HERE/{dockerfile}" "$SOURCE" >/dev/null
KEEPALIVE='trap "exit 0" TERM; while :; do sleep 3600 & wait; done'
docker run -d --init --name "$NAME" "$TAG" /bin/sh -c "$KEEPALIVE" >/dev/null
finish() {{
  if [ "$KEEP" = 1 ]; then
    echo "== container kept: $NAME (docker exec -it $NAME bash; docker rm -f $NAME)"
  else
    docker rm -f "$NAME" >/dev/null
  fi
}}
trap finish EXIT
docker exec "$NAME" mkdir -p {project_dir}
docker cp "$SOURCE/." "$NAME:{project_dir}"
docker cp "$HERE/{commands}" "$NAME:/tmp/execagent-commands.sh"
echo "== running {commands} in $NAME"
RUNNER='if command -v bash >/dev/null; then exec bash "$0"; else exec sh "$0"; fi'
docker exec "$NAME" /bin/sh -c "$RUNNER" /tmp/execagent-commands.sh
"""


def _delimiter(text: str) -> str:
    while True:
        marker = f"EXECAGENT_{secrets.token_hex(4).upper()}"
        if marker not in text:
            return marker


def write_file_lines(path: str, text: str) -> list[str]:
    """Shell lines recreating a file the agent wrote in the container."""
    body = text if text.endswith("\n") else text + "\n"
    marker = _delimiter(body)
    quoted = shlex.quote(path)
    return [f'mkdir -p "$(dirname {quoted})"', f"cat > {quoted} <<'{marker}'", body.rstrip("\n"), marker]


def step_lines(step: Step) -> list[str]:
    if step.tool == "write_to_file":
        return write_file_lines(str(step.args.get("filename", "")), str(step.args.get("text", "")))
    return [step.command]


def commands_script(
    project_dir: str,
    steps: list[Step],
    test_command: str | None,
    extra_files: dict[str, str] | None = None,
) -> str:
    """The commands that mattered, then the test command; exits with the test command's status."""
    lines = [
        "#!/usr/bin/env bash",
        "# The commands of the successful attempt that succeeded and changed something, in order,",
        "# then the test command. Runs inside the container, in one shell.",
        f"cd {shlex.quote(project_dir)}",
    ]
    for path, text in (extra_files or {}).items():
        lines += write_file_lines(path, text)
    for step in steps:
        lines += [f"# cycle {step.cycle}", *step_lines(step)]
    if test_command:
        lines += ["# the test command", test_command]
    return "\n".join(lines) + "\n"


def launch_script(
    *, source: str, tag: str, name_prefix: str, project_dir: str, commands: str, dockerfile: str, script: str
) -> str:
    return LAUNCH_SCRIPT.format(
        source=source,
        tag=tag,
        name_prefix=name_prefix,
        project_dir=project_dir,
        commands=commands,
        dockerfile=dockerfile,
        script=script,
    )


def trace_script(project_dir: str, steps: list[Step]) -> str:
    """Every container step of the attempt in order (failures too), each echoed before it runs."""
    lines = [
        "#!/usr/bin/env bash",
        "# Every command of the run's last container, in order, as the agent ran them.",
        f"cd {shlex.quote(project_dir)}",
    ]
    for step in steps:
        if step.tool == "write_to_file" or step.is_container_command:
            shown = step.command or f"write {step.args.get('filename', '')}"
            lines += [f"echo {shlex.quote(f'+ [cycle {step.cycle}] {shown}')}", *step_lines(step)]
    lines.append("echo '+ trace finished'")
    return "\n".join(lines) + "\n"
