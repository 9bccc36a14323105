"""The review meeting's own deadlines (SEND Regulations 2014 reg 20, and reg 21 out of school).

For a child or young person attending a school or post-16 institution the head teacher or
principal convenes the meeting (reg 20); otherwise the LA does (reg 21), with the same limits:

- at least two weeks' notice of the date of the meeting: reg 20(3) / reg 21(3);
- the advice and information obtained circulated to everyone invited at least two weeks before the
  meeting: reg 20(4) / reg 21(4);
- the written report of the meeting sent within two weeks of the meeting: reg 20(7) / reg 21(7).

'At least two weeks before' a meeting on day M leaves M − 14 days as the last day: notice sent
that day gives exactly two weeks. 'Within two weeks of' the meeting ends on M + 14 days, as the
other 'within N weeks of' limits here do.
"""

from __future__ import annotations

from datetime import date, timedelta

from cases_api.statutory.basis import LegalBasis, send_reg
from cases_api.statutory.deadlines import Deadline, DeadlineKind, evaluate_deadline
from cases_api.statutory.milestones import DEFAULT_DUE_SOON_DAYS

__all__ = [
    "NOTICE_WEEKS",
    "REPORT_WEEKS",
    "advice_circulation_due",
    "invitations_due",
    "meeting_notice_deadlines",
    "review_meeting_deadlines",
    "review_report_due",
]

NOTICE_WEEKS = 2  # reg 20(3), 20(4); reg 21(3), 21(4)
REPORT_WEEKS = 2  # reg 20(7); reg 21(7)


def invitations_due(meeting_on: date) -> date:
    """The last day to send the invitations: two weeks before the meeting (reg 20(3)/21(3))."""
    return meeting_on - timedelta(weeks=NOTICE_WEEKS)


def advice_circulation_due(meeting_on: date) -> date:
    """The last day to circulate the advice: two weeks before the meeting (reg 20(4)/21(4))."""
    return meeting_on - timedelta(weeks=NOTICE_WEEKS)


def review_report_due(meeting_on: date) -> date:
    """The last day to send the meeting's report: two weeks after it (reg 20(7)/21(7))."""
    return meeting_on + timedelta(weeks=REPORT_WEEKS)


def _basis(paragraph: int, *, attends_school: bool) -> LegalBasis:
    return send_reg(f"{20 if attends_school else 21}({paragraph})")


def review_meeting_deadlines(
    *,
    meeting_on: date,
    today: date,
    attends_school: bool = True,
    invitations_sent_on: date | None = None,
    advice_circulated_on: date | None = None,
    report_sent_on: date | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Deadline, ...]:
    """The three deadlines around a review meeting on ``meeting_on``, with their status."""
    return (
        *meeting_notice_deadlines(
            meeting_on=meeting_on,
            today=today,
            attends_school=attends_school,
            invitations_sent_on=invitations_sent_on,
            advice_circulated_on=advice_circulated_on,
            due_soon_days=due_soon_days,
        ),
        evaluate_deadline(
            DeadlineKind.REVIEW_REPORT,
            due=review_report_due(meeting_on),
            done=report_sent_on,
            today=today,
            legal_basis=_basis(7, attends_school=attends_school),
            due_soon_days=due_soon_days,
        ),
    )


def meeting_notice_deadlines(
    *,
    meeting_on: date,
    today: date,
    attends_school: bool = True,
    invitations_sent_on: date | None = None,
    advice_circulated_on: date | None = None,
    due_soon_days: int = DEFAULT_DUE_SOON_DAYS,
) -> tuple[Deadline, Deadline]:
    """The two deadlines before a meeting on ``meeting_on`` (held or only scheduled): the notice
    (reg 20(3)/21(3)) and the advice circulated (reg 20(4)/21(4)), with their status."""
    return (
        evaluate_deadline(
            DeadlineKind.REVIEW_INVITATIONS,
            due=invitations_due(meeting_on),
            done=invitations_sent_on,
            today=today,
            legal_basis=_basis(3, attends_school=attends_school),
            due_soon_days=due_soon_days,
        ),
        evaluate_deadline(
            DeadlineKind.REVIEW_ADVICE_CIRCULATED,
            due=advice_circulation_due(meeting_on),
            done=advice_circulated_on,
            today=today,
            legal_basis=_basis(4, attends_school=attends_school),
            due_soon_days=due_soon_days,
        ),
    )
