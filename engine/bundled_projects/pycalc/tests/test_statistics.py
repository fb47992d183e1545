import pytest

from pycalc import mean, median


def test_mean():
    assert mean([1, 2, 3, 4]) == 2.5


def test_median_odd_and_even():
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5


def test_empty_input_is_refused():
    with pytest.raises(ValueError, match="empty"):
        mean([])
