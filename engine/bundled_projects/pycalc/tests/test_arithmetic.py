import pytest

from pycalc import add, divide, multiply, power, subtract


def test_add_and_subtract_are_inverse():
    assert subtract(add(7, 5), 5) == 7


def test_multiply_floats():
    assert multiply(2.5, 4) == pytest.approx(10.0)


def test_divide_returns_float():
    assert divide(7, 2) == 3.5


def test_divide_by_zero_is_refused():
    with pytest.raises(ZeroDivisionError, match="divide by zero"):
        divide(1, 0)


def test_power_with_negative_exponent():
    assert power(2, -2) == 0.25


def test_power_requires_integer_exponent():
    with pytest.raises(TypeError):
        power(2, 0.5)
