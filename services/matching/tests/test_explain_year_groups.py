"""Explanations name the year groups a provision takes (contract 1.1 school-year ages)."""

import pytest

from send_matching.solver.explain import year_groups


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (4, 10, "Reception to Year 6"),
        (11, 15, "Year 7 to Year 11"),
        (11, 17, "Year 7 to Year 13"),
        (2, 18, "age 2 to Year 14"),
        (3, 3, "Nursery"),
        (16, 24, "Year 12 to age 24"),
    ],
)
def test_year_groups(low: int, high: int, words: str) -> None:
    assert year_groups(low, high) == words
