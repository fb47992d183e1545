"""SELECTION and meta files as a user types them: names, lists, languages, all, paths, URLs, mistakes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.exit_codes import UsageError
from engine.records.layout import WorkspaceLayout
from engine.selection import read_experiment_file, resolve_selection
from tests.test_records.conftest import cli, make_project


def names(selection: str) -> list[str]:
    return [target.name for target in resolve_selection(selection)]


def test_names_lists_languages_and_all() -> None:
    assert names("pandas") == ["pandas"]
    assert names("Django, scipy") == ["django", "scipy"]
    assert len(names("all")) == 50
    java = resolve_selection("java")
    assert len(java) >= 5 and {t.language for t in java} == {"java"}
    assert resolve_selection("pandas")[0].url == "https://github.com/pandas-dev/pandas"


def test_local_paths_and_git_urls(tmp_path: Path) -> None:
    one, two = make_project(tmp_path, "one"), make_project(tmp_path, "two")
    (target,) = resolve_selection(str(one))
    assert (target.name, target.path, target.origin) == ("one", one, "path")
    assert names(f"{one},{two}") == ["one", "two"]
    (url,) = resolve_selection("https://example.org/team/widget.git")
    assert (url.name, url.origin, url.path) == ("widget", "url", None)
    (known,) = resolve_selection("https://github.com/pandas-dev/pandas")
    assert known.origin == "catalog"


def test_unknown_names_get_did_you_mean() -> None:
    with pytest.raises(UsageError, match=r"'pandsa' \(did you mean pandas\?\)"):
        resolve_selection("pandsa")


def test_experiment_file_in_the_seed_format(tmp_path: Path) -> None:
    make_project(tmp_path, "calc")
    meta = tmp_path / "meta_calc.json"
    meta.write_text(
        json.dumps(
            {
                "project_path": "calc",
                "project_name": "calc",
                "project_url": "https://example.org/calc",
                "language": "Python",
                "image_tag": "calc_image:ExecutionAgent",
                "budget": 12,
            }
        )
    )
    target = read_experiment_file(meta, WorkspaceLayout(tmp_path / "ws"))
    assert (target.name, target.path, target.language, target.budget) == (
        "calc",
        tmp_path / "calc",
        "python",
        12,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"project_name": "x", "language": "Python", "project_path": "p", "budget": 0}, "field 'budget'"),
        ({"project_name": "x", "language": "Python"}, "field 'project_path': Field required"),
        ({"project_path": "p", "project_name": "", "language": "Python"}, "field 'project_name'"),
    ],
)
def test_malformed_meta_file_exits_2_naming_the_field(tmp_path: Path, content: dict, message: str) -> None:
    meta = tmp_path / "meta.json"
    meta.write_text(json.dumps(content))
    result = cli("--no-ui", "run", "--experiment-file", str(meta), "--workspace-root", str(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_meta_file_that_is_not_json_exits_2(tmp_path: Path) -> None:
    meta = tmp_path / "meta.json"
    meta.write_text("{not json")
    result = cli("--no-ui", "run", "--experiment-file", str(meta))
    assert result.returncode == 2 and "is not valid JSON" in result.stderr


def test_unknown_name_on_the_command_line_exits_2_with_did_you_mean() -> None:
    result = cli("--no-ui", "run", "scipi", "--dry-run")
    assert result.returncode == 2
    assert "did you mean scipy?" in result.stderr
