"""Read-only browsing of the project on the host before a container exists.

Commands run without a shell (argv from shlex), inside the project folder, from a short allow-list;
any shell metacharacter or a path that resolves outside the project is refused before anything runs.
"""

from __future__ import annotations

import glob
import os
import shlex
import subprocess
from pathlib import Path

from engine.output_digest import digest_for_model

ALLOWED_COMMANDS = ("ls", "cat", "find", "grep", "head", "tail", "tree", "wc")
METACHARACTERS = (";", "|", "&", "`", "$", ">", "<", "\n", "\r")
# Options that run programs, write files, or follow symlinks out of the project.
REFUSED_OPTIONS = {
    "find": {"-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fprint0", "-fprintf", "-fls"}
    | {"-L", "-follow"},
    "grep": {"-R", "--dereference-recursive"},
    "tree": {"-l", "-o"},
}
TIMEOUT_S = 20.0


class BrowsingRefused(ValueError):
    """The command is not allowed on the host; the message tells the model why."""


def host_argv(command: str, root: Path) -> list[str]:
    """The argv that would run, or BrowsingRefused with the reason."""
    for char in METACHARACTERS:
        if char in command:
            shown = {"\n": "a newline", "\r": "a carriage return"}.get(char, f"`{char}`")
            raise BrowsingRefused(
                f"refused: {shown} is not allowed on the host (no pipes, redirections, substitutions"
                " or chained commands; run one browsing command at a time)"
            )
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise BrowsingRefused(f"refused: cannot split the command into words ({error})") from None
    if not argv:
        raise BrowsingRefused("refused: the command is empty")
    program = argv[0]
    if program not in ALLOWED_COMMANDS:
        raise BrowsingRefused(
            f"refused: `{program}` is not available before the container exists. On the host only"
            f" read-only browsing is allowed ({', '.join(ALLOWED_COMMANDS)}); write a Dockerfile"
            " to get a container where anything can run."
        )
    for arg in argv[1:]:
        option = arg.split("=", 1)[0]
        if option in REFUSED_OPTIONS.get(program, set()):
            raise BrowsingRefused(f"refused: `{program} {option}` is not allowed on the host")
    resolved_root = root.resolve()
    expanded = [program]
    for arg in argv[1:]:
        expanded.extend(_expand(arg, program, resolved_root))
    return expanded


def _expand(arg: str, program: str, root: Path) -> list[str]:
    """Check a word that may be a path; expand globs ourselves since there is no shell."""
    if arg.startswith("-"):
        return [arg]
    if arg.startswith("~"):
        raise BrowsingRefused(f"refused: {arg} is outside the project folder")
    words = [arg]
    if program != "find" and any(c in arg for c in "*?[") and not os.path.isabs(arg):
        words = sorted(glob.glob(arg, root_dir=root)) or [arg]
    for word in words:
        candidate = Path(word) if os.path.isabs(word) else root / word
        looks_like_path = os.path.isabs(word) or ".." in Path(word).parts or candidate.exists()
        if looks_like_path and not _inside(candidate, root):
            raise BrowsingRefused(f"refused: {word} is outside the project folder")
    return words


def _inside(path: Path, root: Path) -> bool:
    resolved = path.resolve()
    return resolved == root or root in resolved.parents


def run_on_host(command: str, root: Path, max_chars: int = 6000) -> tuple[bool, str]:
    """Run a browsing command in the project folder; (ok, text for the model)."""
    try:
        argv = host_argv(command, root)
    except BrowsingRefused as refusal:
        return False, str(refusal)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    try:
        completed = subprocess.run(
            argv,
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except FileNotFoundError:
        return False, f"`{argv[0]}` is not installed on the host"
    except subprocess.TimeoutExpired:
        return False, f"`{command}` took longer than {TIMEOUT_S:.0f}s on the host and was stopped"
    text = (completed.stdout + completed.stderr).rstrip() or "(no output)"
    shown = digest_for_model(text, max_chars)
    return completed.returncode == 0, f"{shown}\n[exit code {completed.returncode}]"
