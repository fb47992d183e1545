"""What the model sees of long or redrawn output."""

from engine.output_digest import BoundedText, collapse_carriage_returns, digest_for_model, truncate_middle


def test_progress_bar_redraws_collapse_to_their_final_state():
    text = "Downloading\r 10%\r 50%\r100% done\nnext line\r\n"
    assert collapse_carriage_returns(text) == "100% done\nnext line\n"


def test_progress_bar_lines_keep_text_after_the_last_carriage_return():
    assert collapse_carriage_returns("a\rb\rc\nplain\n") == "c\nplain\n"


def test_long_output_keeps_head_and_tail_with_a_marker():
    text = "".join(f"line {i}\n" for i in range(10_000))
    digest = truncate_middle(text, max_chars=2000)
    assert len(digest) < 2200
    assert digest.startswith("line 0\n")
    assert digest.rstrip().endswith("line 9999")
    assert "lines" in digest and "omitted" in digest


def test_short_output_is_unchanged_and_colours_are_dropped():
    assert digest_for_model("\x1b[32mPASSED\x1b[0m 3 tests\n") == "PASSED 3 tests\n"


def test_bounded_text_keeps_head_and_tail_of_a_huge_stream():
    kept = BoundedText(head_limit=100, tail_limit=100)
    for i in range(10_000):
        kept.append(f"{i:05d}\n")
    text = kept.text()
    assert text.startswith("00000\n")
    assert text.endswith("09999\n")
    assert "dropped" in text
    assert kept.total == 60_000
