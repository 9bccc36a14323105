"""Domain errors raised by the statutory rules (IllegalTransition lives with the state machine)."""

from __future__ import annotations

__all__ = ["StatutoryRuleError"]


class StatutoryRuleError(ValueError):
    """Input no statutory rule can accept, such as an exception that ends before it starts."""
