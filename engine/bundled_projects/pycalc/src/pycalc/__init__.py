"""pycalc: arithmetic helpers, simple statistics and a safe expression evaluator."""

from pycalc.arithmetic import add, divide, multiply, power, subtract
from pycalc.expression import ExpressionError, evaluate
from pycalc.statistics import mean, median

__all__ = [
    "ExpressionError",
    "add",
    "divide",
    "evaluate",
    "mean",
    "median",
    "multiply",
    "power",
    "subtract",
]
