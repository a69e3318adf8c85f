"""Numbers for MathTex: fixed decimals, a real minus sign, and never '-0.00'."""

from __future__ import annotations


def _fixed(x: float, digits: int) -> str:
    s = f"{x:.{digits}f}"
    return s[1:] if s.startswith("-") and float(s) == 0.0 else s


def tex_number(x: float, digits: int = 2) -> str:
    """'-0.50' as '{-}0.50': the braces keep the minus unary wherever it lands."""
    return _fixed(x, digits).replace("-", "{-}")


def tex_group(x: float, digits: int = 2) -> str:
    """'-0.50' as '{-0.50}': one group, so the minus stays unary after \\text{...} or '='."""
    return "{" + _fixed(x, digits) + "}"
