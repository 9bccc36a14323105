"""Sanity of the DfE-derived seeding constants (kept here with the other date-rule tests)."""

from collections.abc import Mapping
from pathlib import Path

import pytest

from cases_api.demo import proportions as p

SHARE_MAPPINGS: dict[str, Mapping[str, float] | Mapping[int, float]] = {
    "PRIMARY_NEED_SHARES": p.PRIMARY_NEED_SHARES,
    "REQUEST_OUTCOME_SHARES": p.REQUEST_OUTCOME_SHARES,
    "ASSESSMENT_OUTCOME_SHARES": p.ASSESSMENT_OUTCOME_SHARES,
    "CASELOAD_BY_SETTING_GROUP": p.CASELOAD_BY_SETTING_GROUP,
    "CASELOAD_BY_SETTING": p.CASELOAD_BY_SETTING,
    "NEW_PLANS_BY_SETTING_GROUP": p.NEW_PLANS_BY_SETTING_GROUP,
    "REVIEW_OUTCOME_SHARES": p.REVIEW_OUTCOME_SHARES,
    "CASELOAD_BY_AGE": p.CASELOAD_BY_AGE,
    "REQUESTS_BY_AGE": p.REQUESTS_BY_AGE,
    "NEW_PLANS_BY_AGE": p.NEW_PLANS_BY_AGE,
}


@pytest.mark.parametrize("name", sorted(SHARE_MAPPINGS))
def test_each_mix_is_a_distribution_up_to_rounding(name: str) -> None:
    shares = SHARE_MAPPINGS[name]
    assert all(0 <= share <= 1 for share in shares.values())
    assert sum(shares.values()) == pytest.approx(1, abs=0.003)


def test_primary_needs_are_the_twelve_sen2_codes_for_plans() -> None:
    assert set(p.PRIMARY_NEED_SHARES) == {
        "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH",
    }  # fmt: skip


def test_headline_figures_match_the_published_percentages() -> None:
    assert round(p.NEW_PLANS_WITHIN_20_WEEKS_SHARE * 100, 1) == 45.9
    assert round(p.NEW_PLANS_WITHIN_20_WEEKS_EXCLUDING_EXCEPTIONS_SHARE * 100, 1) == 46.4
    assert round(p.REQUESTS_LEADING_TO_ASSESSMENT_SHARE * 100, 1) == 65.4
    assert round(p.REVIEW_DECISIONS_WITHIN_4_WEEKS_SHARE * 100, 1) == 44.4


def test_the_module_names_no_file_path() -> None:
    source = Path(p.__file__).read_text(encoding="utf-8")
    assert "/shared/" not in source
    assert "open(" not in source
