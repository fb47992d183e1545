"""The four operations and integer powers, with clear errors instead of surprises."""

from __future__ import annotations

Number = int | float


def add(a: Number, b: Number) -> Number:
    return a + b


def subtract(a: Number, b: Number) -> Number:
    return a - b


def multiply(a: Number, b: Number) -> Number:
    return a * b


def divide(a: Number, b: Number) -> float:
    if b == 0:
        raise ZeroDivisionError("cannot divide by zero")
    return a / b


def power(base: Number, exponent: int) -> Number:
    if not isinstance(exponent, int):
        raise TypeError("exponent must be an integer")
    if exponent < 0 and base == 0:
        raise ZeroDivisionError("zero cannot be raised to a negative power")
    return base**exponent
