"""The prompt library as the agent and a user with an override folder see it."""

import pytest

from engine.prompt_library import PromptError, PromptLibrary, placeholders_in

REQUIRED = [
    "system",
    "tools",
    "cycle_instruction",
    "summarize_cycle",
    "attempt_summary",
    "forced_exit",
    *(f"guidelines/{lang}" for lang in ("python", "java", "javascript", "c", "cpp", "rust", "go")),
]


def test_every_required_prompt_is_bundled():
    names = PromptLibrary().names()
    assert set(REQUIRED) <= set(names)


@pytest.mark.parametrize("lang", ["python", "java", "javascript", "c", "cpp", "rust", "go"])
def test_guidelines_are_tight(lang):
    text = PromptLibrary().load(f"guidelines/{lang}")
    assert 10 < len(text.splitlines()) <= 60
    assert "{" not in text or not placeholders_in(text)


def test_system_prompt_renders_with_project_values():
    text = PromptLibrary().render(
        "system",
        project_name="pycalc",
        project_url="engine/bundled_projects/pycalc",
        language="Python",
        project_path="pycalc",
        budget=40,
    )
    assert "Name: pycalc" in text
    assert "budget of 40 actions" in text
    assert "{" not in text.replace("${", "")


def test_missing_placeholder_is_named_in_the_error():
    with pytest.raises(PromptError, match="budget"):
        PromptLibrary().render("system", project_name="x", project_url="u", language="C", project_path="x")


def test_cycle_instruction_keeps_its_json_example_literal():
    text = PromptLibrary().render("cycle_instruction", tool_names="linux_terminal, read_file")
    assert '{"thoughts":' in text
    assert "linux_terminal, read_file" in text


def test_tool_list_documents_every_tool_and_stuck_command_controls():
    text = PromptLibrary().load("tools")
    for tool in ("linux_terminal", "read_file", "write_to_file", "search_docker_image"):
        assert f"### {tool}" in text
    assert "### goals_accomplished" in text
    for control in ("WAIT", "TERMINATE", "WRITE:<input>"):
        assert control in text


def test_json_answer_prompts_show_the_keys_they_ask_for():
    lib = PromptLibrary()
    summary = lib.render("attempt_summary", project_name="p", history="...")
    start = summary.index('{"problems"')
    keys = [
        "problems",
        "actions",
        "progress",
        "lessons",
        "suggestions",
        "dockerfile_recommendation",
    ]
    assert all(f'"{k}"' in summary[start:] for k in keys)
    forced = lib.render("forced_exit", project_name="p", project_path="p", knowledge="k")
    assert '"dockerfile"' in forced and '"run_tests_sh"' in forced


@pytest.mark.parametrize(
    ("alias", "marker"),
    [
        ("py", "pytest"),
        ("Python", "pytest"),
        ("ts", "package.json"),
        ("TypeScript", "package.json"),
        ("c++", "ctest"),
        ("golang", "go test"),
        ("Rust", "cargo test"),
        ("Java", "Surefire"),
    ],
)
def test_guideline_aliases(alias, marker):
    assert marker in PromptLibrary().guidelines(alias)


def test_unknown_language_and_prompt_give_clear_errors():
    lib = PromptLibrary()
    with pytest.raises(PromptError, match="no guidelines for language 'cobol'"):
        lib.guidelines("cobol")
    assert lib.guidelines("cobol", missing_ok=True) == ""
    with pytest.raises(PromptError, match="unknown prompt 'nope'.*system"):
        lib.load("nope")


def test_override_folder_wins_and_adds_prompts(tmp_path):
    (tmp_path / "guidelines").mkdir()
    (tmp_path / "system.md").write_text("Custom for {project_name}.\n")
    (tmp_path / "guidelines" / "go.md").write_text("Use go1.22.\n")
    (tmp_path / "extra.md").write_text("extra\n")
    lib = PromptLibrary(override_dir=tmp_path)
    assert lib.render("system", project_name="demo") == "Custom for demo.\n"
    assert lib.guidelines("golang") == "Use go1.22.\n"
    assert "pytest" in lib.guidelines("python")  # not overridden: default is used
    assert "extra" in lib.names() and "tools" in lib.names()


def test_render_accepts_a_mapping_and_ignores_unused_values(tmp_path):
    (tmp_path / "t.md").write_text('Hi {who}; keep ${HOME} and {"a": 1}.\n')
    lib = PromptLibrary(override_dir=tmp_path)
    assert lib.render("t", {"who": "you", "unused": 1}) == 'Hi you; keep ${HOME} and {"a": 1}.\n'
