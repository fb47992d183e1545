"""Summaries are found in the messy output an agent actually sees: build logs, colours,
progress redraws, several test commands in one transcript."""

from pathlib import Path

from engine.test_parsers import clean_terminal_text, parse_all_runs, parse_test_output

FIXTURES = Path(__file__).parent.parent / "fixtures" / "test_outputs"


def read(name: str) -> str:
    return (FIXTURES / name).read_text()


def test_output_without_any_test_run_gives_none() -> None:
    log = "Step 3/7 : RUN pip install .\nSuccessfully installed demo-1.0\nok, done\n"
    assert parse_test_output(log) is None
    assert parse_test_output("") is None


def test_colour_codes_and_carriage_return_redraws_are_removed() -> None:
    raw = "\x1b[32mdownloading 10%\rdownloading 100%\x1b[0m\r\nline two\r\n"
    assert clean_terminal_text(raw) == "downloading 100%\nline two\n"


def test_crlf_terminal_capture_still_parses() -> None:
    text = read("pytest/mixed_color.txt").replace("\n", "\r\n")
    summary = parse_test_output(text)
    assert summary is not None
    assert (summary.passed, summary.failed, summary.errors) == (7, 2, 1)


def test_summary_after_a_long_build_log_is_found() -> None:
    build_log = "".join(f"[{i}/400] Compiling src/module_{i}.c\n" for i in range(400))
    summary = parse_test_output(build_log + read("ctest/mixed.txt"))
    assert summary is not None
    assert (summary.framework, summary.passed, summary.failed) == ("ctest", 8, 2)


def test_the_last_test_command_wins_across_frameworks() -> None:
    transcript = read("jest/mixed.txt") + "\n$ npx vitest run\n" + read("vitest/mixed.txt")
    summary = parse_test_output(transcript)
    assert summary is not None
    assert summary.framework == "vitest"
    assert [run.framework for run in parse_all_runs(transcript)] == ["jest", "vitest"]


def test_a_rerun_after_a_fix_replaces_the_earlier_result() -> None:
    transcript = read("pytest/mixed_quiet.txt") + "\n$ pytest -q tests/test_strings.py\n"
    transcript += read("pytest/all_pass_quiet.txt")
    summary = parse_test_output(transcript)
    assert summary is not None
    assert (summary.passed, summary.failed, summary.skipped) == (2, 0, 1)


def test_two_cargo_invocations_are_two_runs_each_summed_over_its_binaries() -> None:
    transcript = read("cargo/workspace_mixed.txt") + read("cargo/lib_only_pass.txt")
    runs = parse_all_runs(transcript)
    assert [(run.passed, run.failed, run.skipped) for run in runs] == [(5, 1, 2), (2, 0, 1)]


def test_two_maven_builds_are_two_runs() -> None:
    transcript = read("maven/surefire_mixed_batch.txt") + read("maven/surefire_mixed.txt")
    assert len(parse_all_runs(transcript)) == 2


def test_go_rerun_of_the_same_package_is_not_counted_twice() -> None:
    text = read("go/verbose_mixed.txt")
    summary = parse_test_output(text + text)
    assert summary is not None
    assert (summary.passed, summary.failed, summary.skipped) == (5, 2, 1)


def test_go_package_that_fails_to_build_is_an_error() -> None:
    text = (
        "# example.com/demo/calc [example.com/demo/calc.test]\n"
        "calc/calc_test.go:3:8: undefined: nope\n"
        "FAIL\texample.com/demo/calc [build failed]\n"
        "ok  \texample.com/demo/str\t0.003s\n"
        "FAIL\n"
    )
    summary = parse_test_output(text)
    assert summary is not None
    assert (summary.unit, summary.passed, summary.errors) == ("packages", 1, 1)


def test_go_package_lines_are_not_mistaken_for_tap() -> None:
    summary = parse_test_output(read("go/plain_all_pass.txt"))
    assert summary is not None
    assert summary.framework == "go test"


def test_prove_summary_wins_over_the_raw_tap_it_printed_in_verbose_mode() -> None:
    summary = parse_test_output(read("tap/prove_verbose_mixed.txt"))
    assert summary is not None
    assert summary.framework == "prove"
