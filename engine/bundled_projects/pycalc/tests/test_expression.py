import pytest

from pycalc import ExpressionError, evaluate


def test_precedence_and_parentheses():
    assert evaluate("2 * (3 + 4) ** 2") == 98


def test_unary_minus():
    assert evaluate("-3 + 10 / 4") == -0.5


@pytest.mark.parametrize("text", ["__import__('os')", "1 +", "x * 2"])
def test_rejects_anything_but_arithmetic(text):
    with pytest.raises(ExpressionError):
        evaluate(text)
