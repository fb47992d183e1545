"""The headless command line: `execagent-tui [--no-ui] COMMAND ...` (the TUI entry point delegates here)."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from engine import docker_daemon
from engine.exit_codes import ExitCode, UserFacingError

PROG = "execagent-tui"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build any project and run its tests in Docker, verified; steered from a terminal UI.",
        epilog="Exit codes: 0 ok, 1 failed, 2 usage error, 3 Docker unreachable, 4 not ready (doctor), "
        "130 interrupted.",
    )
    parser.add_argument("--no-ui", action="store_true", help="run headless (no terminal UI)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    doctor = commands.add_parser("doctor", help="check that a run can start here (Docker, images, CA, model)")
    doctor.add_argument(
        "--fix",
        action="store_true",
        help="as root: install docker.io, start dockerd, bootstrap base images",
    )
    doctor.add_argument("--ca-bundle", help="CA bundle to propagate into containers")

    images = commands.add_parser("images", help="local base images (no registry needed)")
    images_commands = images.add_subparsers(dest="images_command", metavar="ACTION", required=True)
    bootstrap = images_commands.add_parser("bootstrap", help="build base images with debootstrap")
    bootstrap.add_argument("--force", action="store_true", help="rebuild even if present")
    images_commands.add_parser("list", help="images available locally")

    clean = commands.add_parser("clean", help="remove containers/images left behind by dead runs")
    clean.add_argument("--images", action="store_true", help="also remove images built by dead runs")
    clean.add_argument(
        "--other-hosts",
        action="store_true",
        help="also remove resources created from other hosts (shared remote engine)",
    )
    clean.add_argument("--dry-run", action="store_true", help="only list what would be removed")

    daemon = commands.add_parser("daemon", help="start/stop a local dockerd (as root)")
    daemon.add_argument("action", choices=["start", "stop"])

    selfcheck = commands.add_parser("selfcheck", help="exercise the sandbox end to end on this machine")
    selfcheck.add_argument("--image", help="image to use (default: the bootstrapped Debian image)")
    selfcheck.add_argument("--ca-bundle", help="CA bundle to propagate into containers")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return ExitCode.USAGE
    try:
        return int(dispatch(args))
    except UserFacingError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except Exception as exc:  # never a traceback on the terminal: one line, details in a file
        crash_log = docker_daemon.state_dir() / "crash.log"
        with open(crash_log, "a") as log:
            traceback.print_exc(file=log)
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {exc} (details in {crash_log})",
            file=sys.stderr,
        )
        return int(ExitCode.FAILED)


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "doctor":
        return _doctor(args)
    if args.command == "images":
        return _images(args)
    if args.command == "clean":
        return _clean(args)
    if args.command == "daemon":
        if args.action == "start":
            docker_daemon.start_dockerd()
        else:
            docker_daemon.stop_dockerd()
        return ExitCode.OK
    if args.command == "selfcheck":
        from engine.selfcheck import run_selfcheck

        return run_selfcheck(image=args.image, ca_bundle=args.ca_bundle)
    raise UserFacingError(f"unknown command {args.command}", ExitCode.USAGE)


def _doctor(args: argparse.Namespace) -> int:
    from engine import doctor

    if args.fix:
        doctor.fix()
    checks = doctor.run_checks(ca_bundle=args.ca_bundle)
    print(doctor.format_table(checks))
    code = doctor.exit_code_for(checks)
    print("ready: a run can start" if code == ExitCode.OK else "not ready: see the failed checks above")
    return code


def _images(args: argparse.Namespace) -> int:
    from engine.docker_connection import connect_docker
    from engine.sandbox.base_images import bootstrap_base_images, local_image_tags

    client = connect_docker()
    if args.images_command == "bootstrap":
        bootstrap_base_images(client, force=args.force)
    else:
        for tag in local_image_tags(client):
            print(tag)
    return ExitCode.OK


def _clean(args: argparse.Namespace) -> int:
    from engine.docker_connection import connect_docker
    from engine.sandbox.leftovers import find_leftovers, remove_leftovers

    client = connect_docker()
    leftovers = find_leftovers(client, include_built_images=args.images, other_hosts=args.other_hosts)
    for item in leftovers:
        print(
            f"{'would remove' if args.dry_run else 'removing'} {item.kind} {item.name} "
            f"(run {item.run_id}: {item.reason})"
        )
    if not leftovers:
        print("nothing to clean")
    if args.dry_run:
        return ExitCode.OK
    errors = remove_leftovers(client, leftovers)
    for error in errors:
        print(f"could not remove {error}", file=sys.stderr)
    return ExitCode.FAILED if errors else ExitCode.OK
