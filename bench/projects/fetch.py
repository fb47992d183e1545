"""Download and unpack a benchmark project's source into a cache folder.

Usage: python bench/projects/fetch.py NAME... --dest DIR
       python bench/projects/fetch.py --all --dest DIR

PyPI: `pip download --no-deps --no-binary :all:`; npm: `npm pack`; Debian: `apt-get source` on the host
(deb-src lines are added next to the existing apt sources when missing, which needs root).
Each project lands in DIR/<name>-<version>/ and is reused on the next call.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

if not __package__:  # run as a script: make `bench.projects` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.projects.project_list import BenchProject, load_projects

APT_DIR = Path("/etc/apt")
DEB_SRC_NAME = "execagent-deb-src"  # file stem under sources.list.d, so it is easy to find and remove
MARKER_SUFFIX = ".fetched"  # beside the folder, so the source tree stays exactly as published


class FetchError(RuntimeError):
    pass


def fetch(project: BenchProject, dest_dir: Path) -> Path:
    """Return the folder holding the project's unpacked source, downloading it on first use."""
    dest_dir = Path(dest_dir).resolve()
    target = dest_dir / f"{project.name}-{project.source.version}"
    marker = target.with_name(target.name + MARKER_SUFFIX)
    if marker.exists() and target.is_dir():
        return target
    dest_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest_dir, prefix=f".{project.name}-") as scratch_name:
        scratch = Path(scratch_name)
        downloads = scratch / "downloads"
        downloads.mkdir()
        unpacked = scratch / "source"
        kind = project.source.kind
        if kind == "pypi":
            _fetch_pypi(project, downloads, unpacked)
        elif kind == "npm":
            _fetch_npm(project, downloads, unpacked)
        else:
            _fetch_debian_source(project, downloads, unpacked)
        if target.exists():  # an earlier attempt died half-way
            shutil.rmtree(target)
        unpacked.rename(target)
    marker.write_text(f"{kind} {project.source.name} {project.source.version}\n", encoding="utf-8")
    return target


def _run(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-8:]
        raise FetchError(f"`{' '.join(command)}` failed ({result.returncode}):\n" + "\n".join(tail))


def _fetch_pypi(project: BenchProject, downloads: Path, unpacked: Path) -> None:
    spec = f"{project.source.name}=={project.source.version}"
    pip_download = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
    _run([*pip_download, spec, "-d", str(downloads)], downloads)
    archives = [path for path in downloads.iterdir() if path.name.endswith((".tar.gz", ".zip", ".tar.bz2"))]
    if len(archives) != 1:
        raise FetchError(f"expected one sdist for {spec}, got {[path.name for path in archives]}")
    _unpack_single_top_folder(archives[0], unpacked)


def _fetch_npm(project: BenchProject, downloads: Path, unpacked: Path) -> None:
    spec = f"{project.source.name}@{project.source.version}"
    _run(["npm", "pack", "--silent", spec, "--pack-destination", str(downloads)], downloads)
    archives = list(downloads.glob("*.tgz"))
    if len(archives) != 1:
        raise FetchError(f"expected one tarball for {spec}, got {[path.name for path in archives]}")
    _unpack_single_top_folder(archives[0], unpacked)


def _fetch_debian_source(project: BenchProject, downloads: Path, unpacked: Path) -> None:
    ensure_deb_src_enabled()
    spec = f"{project.source.name}={project.source.version}"
    # download only, then unpack ourselves: apt-get source would unpack next to the downloads
    _run(["apt-get", "source", "--download-only", "-qq", spec], downloads)
    descriptions = list(downloads.glob("*.dsc"))
    if len(descriptions) != 1:
        raise FetchError(f"expected one .dsc for {spec}, got {[path.name for path in descriptions]}")
    _run(["dpkg-source", "--no-check", "-x", descriptions[0].name, str(unpacked)], downloads)


def ensure_deb_src_enabled(apt_dir: Path = APT_DIR, update_index: bool = True) -> Path | None:
    """Add deb-src twins of the host's deb sources once, then refresh the index.

    Idempotent: returns the file written, or None when some deb-src entry already existed.
    """
    if _deb_src_configured(apt_dir):
        return None
    if os.geteuid() != 0:
        raise FetchError("deb-src is not enabled, and enabling it needs root (or add deb-src lines yourself)")
    parts_dir = apt_dir / "sources.list.d"
    stanzas = []
    for sources in sorted(parts_dir.glob("*.sources")):
        for stanza in sources.read_text(encoding="utf-8").split("\n\n"):
            lines = stanza.strip().splitlines()
            if any(line.strip() == "Types: deb" for line in lines):
                twin = ["Types: deb-src" if line.strip() == "Types: deb" else line for line in lines]
                stanzas.append("\n".join(twin))
    one_line_style = [apt_dir / "sources.list", *sorted(parts_dir.glob("*.list"))]
    legacy_lines = [
        "deb-src" + line.strip()[len("deb") :]
        for path in one_line_style
        if path.is_file()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("deb ")
    ]
    written = []
    if stanzas:
        written.append(parts_dir / f"{DEB_SRC_NAME}.sources")
        written[-1].write_text("\n\n".join(stanzas) + "\n", encoding="utf-8")
    if legacy_lines:
        written.append(parts_dir / f"{DEB_SRC_NAME}.list")
        written[-1].write_text("\n".join(legacy_lines) + "\n", encoding="utf-8")
    if not written:
        raise FetchError(f"no Debian apt sources under {apt_dir} to derive deb-src entries from")
    if update_index:
        _run(["apt-get", "update", "-qq"], Path("/"))
    return written[0]


def _deb_src_configured(apt_dir: Path) -> bool:
    parts_dir = apt_dir / "sources.list.d"
    for path in [apt_dir / "sources.list", *parts_dir.glob("*.list"), *parts_dir.glob("*.sources")]:
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            stripped = line.strip()
            if stripped.startswith("deb-src ") or (stripped.startswith("Types:") and "deb-src" in stripped):
                return True
    return False


def _unpack_single_top_folder(archive: Path, unpacked: Path) -> None:
    """Unpack an archive whose members sit under one top folder, dropping that folder level."""
    staging = archive.parent / "staging"
    staging.mkdir()
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(staging)
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(staging, filter="data")
    tops = list(staging.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        raise FetchError(f"{archive.name} does not hold a single top folder")
    tops[0].rename(unpacked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch benchmark project sources into a cache folder.")
    parser.add_argument("names", nargs="*", metavar="NAME")
    parser.add_argument("--all", action="store_true", help="fetch every project in projects.json")
    parser.add_argument("--dest", type=Path, required=True, help="cache folder")
    args = parser.parse_args(argv)
    projects = load_projects()
    if args.all == bool(args.names):
        parser.error("give project names or --all (not both)")
    try:
        chosen = projects.projects if args.all else [projects.named(name) for name in args.names]
    except KeyError as error:
        parser.error(str(error.args[0]))
    failures = 0
    for project in chosen:
        try:
            print(f"{project.name}\t{fetch(project, args.dest)}")
        except FetchError as error:
            failures += 1
            print(f"{project.name}\tFAILED: {error}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
