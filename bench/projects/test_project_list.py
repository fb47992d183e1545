"""Checks of the benchmark list and the fetcher: python -m pytest bench/projects (fetching needs PyPI/npm)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.projects.fetch import ensure_deb_src_enabled, fetch
from bench.projects.project_list import BenchProject, load_projects

FETCH_SCRIPT = Path(__file__).with_name("fetch.py")


def test_list_has_enough_projects_in_each_language() -> None:
    projects = load_projects().projects
    languages = Counter("c/c++" if p.language in ("c", "c++") else p.language for p in projects)
    assert len(projects) >= 14
    assert languages["python"] >= 5 and languages["c/c++"] >= 4 and languages["javascript"] >= 4


def test_every_ground_truth_ran_tests_and_was_timed() -> None:
    for project in load_projects().projects:
        truth = project.ground_truth
        assert truth.passed > 0, project.name
        assert truth.image == "execagent/debian:bookworm", project.name
        assert 0 < truth.wall_seconds < 600, project.name


def test_cli_names_unknown_project_and_lists_known_ones(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(FETCH_SCRIPT), "no-such-project", "--dest", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "no benchmark project named 'no-such-project'" in result.stderr
    assert "idna" in result.stderr


def _first_of_kind(kind: str) -> BenchProject:
    return next(project for project in load_projects().projects if project.source.kind == kind)


@pytest.mark.parametrize("kind", ["pypi", "npm"])
def test_fetch_unpacks_source_with_its_tests_and_reuses_the_cache(kind: str, tmp_path: Path) -> None:
    project = _first_of_kind(kind)
    folder = fetch(project, tmp_path)
    assert folder == tmp_path.resolve() / f"{project.name}-{project.source.version}"
    names = {path.name for path in folder.iterdir()}
    assert {"tests", "test", "testing", "test_six.py"} & names or (folder / project.name / "tests").is_dir()
    (folder / "left-by-test").write_text("kept")
    assert fetch(project, tmp_path) == folder
    assert (folder / "left-by-test").read_text() == "kept"


def test_deb_src_twins_are_added_once_next_to_existing_sources(tmp_path: Path) -> None:
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (parts / "debian.sources").write_text(
        "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\n\n"
        "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\n"
    )
    written = ensure_deb_src_enabled(tmp_path, update_index=False)
    assert written == parts / "execagent-deb-src.sources"
    text = written.read_text()
    assert text.count("Types: deb-src") == 2 and "Types: deb\n" not in text
    assert "URIs: http://deb.debian.org/debian-security" in text
    assert ensure_deb_src_enabled(tmp_path, update_index=False) is None
    assert sorted(path.name for path in parts.iterdir()) == ["debian.sources", "execagent-deb-src.sources"]


def test_deb_src_lines_derived_from_one_line_sources_list(tmp_path: Path) -> None:
    (tmp_path / "sources.list.d").mkdir()
    (tmp_path / "sources.list").write_text("# comment\ndeb http://deb.debian.org/debian bookworm main\n")
    written = ensure_deb_src_enabled(tmp_path, update_index=False)
    assert written.read_text() == "deb-src http://deb.debian.org/debian bookworm main\n"
