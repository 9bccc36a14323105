"""Appeals to the First-tier Tribunal (SEND): what can be appealed and by when.

Deadline (Tribunal Procedure Rules 2008 r20): the later of two months after the decision notice and
one month after the mediation certificate. Periods counted *from* a date end on the corresponding
date, clamped to the month end (31 December + 2 months is the last day of February). Mediation, or a
certificate that the family considered and declined it, is needed before appealing unless the appeal
is only about the school or setting named in section I (CFA 2014 s55).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from cases_api.statutory._calendar import add_months
from cases_api.statutory.errors import StatutoryRuleError

__all__ = [
    "APPEAL_MONTHS_AFTER_CERTIFICATE",
    "APPEAL_MONTHS_AFTER_DECISION",
    "AppealGround",
    "appeal_deadline",
    "mediation_certificate_required",
]

APPEAL_MONTHS_AFTER_DECISION = 2
APPEAL_MONTHS_AFTER_CERTIFICATE = 1


class AppealGround(StrEnum):
    """The decisions a parent or young person can appeal."""

    REFUSAL_TO_ASSESS = "refusal_to_assess"
    REFUSAL_TO_ISSUE = "refusal_to_issue"
    SECTION_B = "section_b"
    SECTION_F = "section_f"
    SECTION_I = "section_i"
    CEASE_TO_MAINTAIN = "cease_to_maintain"


def mediation_certificate_required(grounds: Iterable[AppealGround]) -> bool:
    """Return whether appealing on ``grounds`` needs mediation first (not for section I alone)."""
    chosen = set(grounds)
    if not chosen:
        raise StatutoryRuleError("an appeal needs at least one ground")
    return chosen != {AppealGround.SECTION_I}


def appeal_deadline(*, decision_on: date, mediation_certificate_on: date | None = None) -> date:
    """Return the last day to appeal: the later of decision + 2 months and certificate + 1 month."""
    deadline = add_months(decision_on, APPEAL_MONTHS_AFTER_DECISION)
    if mediation_certificate_on is None:
        return deadline
    if mediation_certificate_on < decision_on:
        raise StatutoryRuleError("a mediation certificate cannot precede the decision it concerns")
    return max(deadline, add_months(mediation_certificate_on, APPEAL_MONTHS_AFTER_CERTIFICATE))
