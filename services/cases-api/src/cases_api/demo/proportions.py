"""Proportions for seeding a realistic demo county, taken from the DfE's EHC plan statistics.

Source: Department for Education, 'Education, health and care plans', reporting year 2025
(explore-education-statistics; Open Government Licence v3.0). National (England) rows of the latest
year in each file, read once at development time; each block below names its file, measure and
year. The project never reads those files: these are plain constants. Shares are fractions (0–1)
rounded to four places, so a mapping's values add up to 1 only to within rounding: normalise
before sampling.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

# --- sen_needs_all_plans.csv: England, January 2025 (2024/25), all EHC plans ---
PRIMARY_NEED_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "ASD": 0.3174,
        "SLCN": 0.2143,
        "SEMH": 0.2086,
        "MLD": 0.1071,
        "SLD": 0.0405,
        "PD": 0.0393,
        "SPLD": 0.0227,
        "HI": 0.0138,
        "PMLD": 0.0135,
        "OTH": 0.0119,
        "VI": 0.0083,
        "MSI": 0.0027,
    }
)
"""Primary need (SEN2 code) of all plans with a need recorded.

633,875 plans; the 4,870 with no primary need recorded are left out.
"""

# --- requests.csv: England, calendar year 2024, all requests for an EHC needs assessment ---
REQUEST_OUTCOME_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "decided_to_assess": 0.6541,
        "refused_to_assess": 0.2517,
        "decision_outstanding": 0.0779,
        "withdrawn": 0.0163,
    }
)
"""Outcome of requests received in the year (154,489)."""

REQUESTS_LEADING_TO_ASSESSMENT_SHARE: Final = 0.6541
"""Share of all requests received where the LA decided to assess (101,045 of 154,489)."""

REQUESTS_ASSESSED_SHARE_OF_DECIDED: Final = 0.7221
"""Share of decided requests (assess or refuse) that were agreed (101,045 of 139,934)."""

REQUEST_DECISIONS_WITHIN_6_WEEKS_SHARE: Final = 0.8481
"""Share of request decisions made within 6 weeks (126,160 of 148,753)."""

# --- assessments.csv: England, calendar year 2024, all EHC needs assessments ---
ASSESSMENT_OUTCOME_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "plan_issued": 0.9355,
        "plan_not_issued": 0.0608,
        "decision_outstanding": 0.0006,
        "withdrawn": 0.0031,
    }
)
"""Outcome of assessments in the year (105,340)."""

ASSESSMENTS_LEADING_TO_PLAN_SHARE: Final = 0.9355
"""Share of assessments where a plan was issued (98,547 of 105,340)."""

NO_PLAN_DECISIONS_WITHIN_16_WEEKS_SHARE: Final = 0.3409
"""Share of decisions not to issue a plan notified within 16 weeks (2,179 of 6,391)."""

# --- timeliness_20_week.csv: England, calendar year 2024, all EHC plans issued ---
NEW_PLANS_WITHIN_20_WEEKS_SHARE: Final = 0.4585
"""All new plans issued within 20 weeks (41,448 of 90,392).

The DfE's 'including exceptions' rate, published as 45.9%.
"""

NEW_PLANS_WITHIN_20_WEEKS_EXCLUDING_EXCEPTIONS_SHARE: Final = 0.4643
"""New plans without an exception issued within 20 weeks (39,407 of 84,866).

The DfE's 'excluding exceptions' rate, published as 46.4%.
"""

NEW_PLANS_WITH_EXCEPTION_SHARE: Final = 0.0611
"""Share of new plans where an exception to the 20 weeks applied (5,526 of 90,392)."""

EXCEPTION_PLANS_WITHIN_20_WEEKS_SHARE: Final = 0.3693
"""Plans with an exception that were still issued within 20 weeks (2,041 of 5,526)."""

NEW_PLANS_20_TO_52_WEEKS_SHARE: Final = 0.4691
"""New plans issued after 20 but within 52 weeks (42,402 of 90,392)."""

NEW_PLANS_OVER_52_WEEKS_SHARE: Final = 0.0717
"""New plans issued after 52 weeks (6,478 of 90,392)."""

# --- caseload.csv: England, January 2025 (2024/25), all EHC plans, by setting attended ---
CASELOAD_BY_SETTING_GROUP: Final[Mapping[str, float]] = MappingProxyType(
    {
        "mainstream": 0.4356,
        "special": 0.3035,
        "alternative_provision": 0.0076,
        "further_education": 0.138,
        "educated_elsewhere": 0.0779,
        "early_years": 0.0071,
        "not_recorded": 0.0303,
    }
)
"""Setting attended, grouped as the DfE totals them (638,745 plans)."""

CASELOAD_BY_SETTING: Final[Mapping[str, float]] = MappingProxyType(
    {
        "mainstream_la_maintained": 0.1496,
        "mainstream_la_maintained_resourced_provision": 0.0105,
        "mainstream_la_maintained_senunit": 0.0049,
        "mainstream_academy": 0.2217,
        "mainstream_academy_resourced_provision": 0.0134,
        "mainstream_academy_senunit": 0.009,
        "mainstream_free_school": 0.0147,
        "mainstream_free_school_resourced_provision": 0.0003,
        "mainstream_free_school_senunit": 0.0001,
        "mainstream_independent": 0.0112,
        "special_la_maintained": 0.1345,
        "special_academy_free": 0.1157,
        "special_independent": 0.0464,
        "special_non_maintained": 0.0069,
        "ap_pru_academy": 0.0031,
        "ap_pru_free_school": 0.0009,
        "ap_pru_la_maintained": 0.0036,
        "general_fe_tertiary_colleges": 0.1112,
        "specialist_post_16_institutions": 0.0151,
        "ukrlp_provider": 0.0117,
        "elective_home_education": 0.0112,
        "other_arrangements_la": 0.018,
        "other_arrangements_parents": 0.0016,
        "online_provider": 0.0002,
        "w_settings": 0.0006,
        "other_schools": 0.0003,
        "other_placement_settings": 0.0063,
        "neet": 0.0283,
        "neet_ntci": 0.0028,
        "neet_other": 0.0047,
        "neet_other_csa": 0.0039,
        "nm_early_years": 0.0071,
        "placement_unknown": 0.0303,
    }
)
"""Setting attended in detail (the DfE's column names; they add up to all plans)."""

# --- newplans.csv: England, calendar year 2024, new EHC plans, by setting attended ---
NEW_PLANS_BY_SETTING_GROUP: Final[Mapping[str, float]] = MappingProxyType(
    {
        "mainstream": 0.7506,
        "special": 0.0927,
        "alternative_provision": 0.0144,
        "further_education": 0.0285,
        "educated_elsewhere": 0.0449,
        "early_years": 0.0361,
        "not_recorded": 0.0328,
    }
)
"""Setting attended by children with a new plan (97,747)."""

# --- annual_reviews.csv: England, calendar year 2024, all annual reviews ---
REVIEWS_EXPECTED_SHARE: Final = 0.8214
"""Plans for which an annual review was expected in the year (524,654 of 638,745)."""

REVIEW_MEETING_HELD_SHARE: Final = 0.8649
"""Expected reviews with a review meeting recorded at any date (453,761 of 524,654)."""

REVIEW_MEETING_IN_YEAR_SHARE: Final = 0.6244
"""Expected reviews whose recorded meeting is dated 2024 or 2025 (327,577 of 524,654).

The other 126,184 recorded meetings are dated before 2024; the nearest the file comes to 'reviews
held on time'.
"""

REVIEW_DECISIONS_WITHIN_4_WEEKS_SHARE: Final = 0.4442
"""Review decisions communicated within 4 weeks of the meeting (154,924 of 348,759).

The DfE publishes no measure of reviews held within 12 months; this is its only on-time measure.
"""

REVIEW_OUTCOME_SHARES: Final[Mapping[str, float]] = MappingProxyType(
    {
        "amend": 0.6117,
        "maintain": 0.3769,
        "cease": 0.0114,
    }
)
"""Outcome of reviews with an outcome recorded (358,889; 94,872 had none)."""

# --- ages: caseload.csv (January 2025, age now), requests.csv (2024, age at request),
# newplans.csv (2024, age when the plan started); all England ---
CASELOAD_BY_AGE: Final[Mapping[int, float]] = MappingProxyType(
    {
        2: 0.0008,
        3: 0.0067,
        4: 0.0353,
        5: 0.0483,
        6: 0.0499,
        7: 0.0534,
        8: 0.057,
        9: 0.0601,
        10: 0.0648,
        11: 0.0732,
        12: 0.0739,
        13: 0.0741,
        14: 0.0738,
        15: 0.0703,
        16: 0.0658,
        17: 0.0571,
        18: 0.0448,
        19: 0.0326,
        20: 0.0227,
        21: 0.0154,
        22: 0.0098,
        23: 0.0063,
        24: 0.0035,
        25: 0.0006,
    }
)
"""Age of children and young people with a plan; 2 means 'under 3', 25 is the oldest."""

REQUESTS_BY_AGE: Final[Mapping[int, float]] = MappingProxyType(
    {
        2: 0.0181,
        3: 0.1181,
        4: 0.1133,
        5: 0.0697,
        6: 0.0644,
        7: 0.0625,
        8: 0.0663,
        9: 0.0777,
        10: 0.0945,
        11: 0.0591,
        12: 0.0563,
        13: 0.0603,
        14: 0.054,
        15: 0.0451,
        16: 0.0221,
        17: 0.01,
        18: 0.0042,
        19: 0.0019,
        20: 0.0025,
    }
)
"""Age at request; 2 means '2 and under', 20 means '20 and over' (1 unknown left out)."""

NEW_PLANS_BY_AGE: Final[Mapping[int, float]] = MappingProxyType(
    {
        2: 0.0021,
        3: 0.0218,
        4: 0.1355,
        5: 0.1351,
        6: 0.0786,
        7: 0.0702,
        8: 0.0658,
        9: 0.0658,
        10: 0.0777,
        11: 0.0831,
        12: 0.0538,
        13: 0.0477,
        14: 0.0519,
        15: 0.0458,
        16: 0.0355,
        17: 0.0169,
        18: 0.0068,
        19: 0.003,
        20: 0.0028,
    }
)
"""Age when a new plan started; 2 means '2 and under', 20 means '20 and over'."""
