from datetime import date

import pytest

from cases_api.statutory import (
    AppealGround,
    StatutoryRuleError,
    appeal_deadline,
    mediation_certificate_required,
)


@pytest.mark.parametrize(
    ("decision", "deadline"),
    [
        (date(2025, 1, 10), date(2025, 3, 10)),
        (date(2024, 12, 31), date(2025, 2, 28)),  # no 31 February
        (date(2023, 12, 31), date(2024, 2, 29)),  # leap year
        (date(2025, 11, 15), date(2026, 1, 15)),
    ],
)
def test_two_months_from_the_decision_without_mediation(decision: date, deadline: date) -> None:
    assert appeal_deadline(decision_on=decision) == deadline


def test_a_late_certificate_gives_one_month_from_the_certificate() -> None:
    deadline = appeal_deadline(
        decision_on=date(2025, 1, 10), mediation_certificate_on=date(2025, 2, 20)
    )
    assert deadline == date(2025, 3, 20)


def test_an_early_certificate_leaves_the_two_months() -> None:
    deadline = appeal_deadline(
        decision_on=date(2025, 1, 10), mediation_certificate_on=date(2025, 2, 1)
    )
    assert deadline == date(2025, 3, 10)


def test_a_certificate_on_the_month_end() -> None:
    deadline = appeal_deadline(
        decision_on=date(2024, 12, 20), mediation_certificate_on=date(2025, 1, 31)
    )
    assert deadline == date(2025, 2, 28)


def test_a_certificate_before_the_decision_is_refused() -> None:
    with pytest.raises(StatutoryRuleError):
        appeal_deadline(decision_on=date(2025, 1, 10), mediation_certificate_on=date(2025, 1, 9))


@pytest.mark.parametrize(
    ("grounds", "required"),
    [
        ({AppealGround.SECTION_I}, False),
        ({AppealGround.SECTION_I, AppealGround.SECTION_F}, True),
        ({AppealGround.SECTION_B}, True),
        ({AppealGround.REFUSAL_TO_ASSESS}, True),
        ({AppealGround.REFUSAL_TO_ISSUE}, True),
        ({AppealGround.CEASE_TO_MAINTAIN}, True),
    ],
)
def test_mediation_is_needed_unless_the_appeal_is_only_about_section_i(
    grounds: set[AppealGround], required: bool
) -> None:
    assert mediation_certificate_required(grounds) is required


def test_an_appeal_without_grounds_is_refused() -> None:
    with pytest.raises(StatutoryRuleError):
        mediation_certificate_required([])
