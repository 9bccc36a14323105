"""Realistic sections A–K for demo plans, from a child's ranked needs (pure: rng in, sections out).

The wording is invented but typical of English EHC plans: each B need has F provision that is
specified and quantified (what, hours a week, how often, by whom).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from cases_api.plans.sections import (
    Advice,
    BudgetItem,
    BudgetKind,
    NamedSetting,
    Need,
    Outcome,
    PlanSections,
    ProvisionLine,
    SectionA,
    ServiceLine,
    Statement,
)
from send_contracts import NeedCode

PERSONAL_BUDGET_SHARE = 0.06  # an assumption: the DfE publishes counts of budgets, not a share


@dataclass(frozen=True)
class _NeedText:
    need: str
    outcome: str
    provision: tuple[tuple[str, float, str, str], ...]  # what, hours a week, frequency, by whom


_TEXT: dict[NeedCode, _NeedText] = {
    NeedCode.ASD: _NeedText(
        "Finds social interaction and changes of routine very hard; becomes distressed in noise.",
        "Manages transitions in the school day with the support of a visual timetable.",
        (
            ("Visual timetable and prepared transitions", 2.5, "daily", "teaching assistant"),
            ("Social communication group", 1.0, "weekly", "specialist teacher"),
        ),
    ),
    NeedCode.SLCN: _NeedText(
        "Expressive and receptive language well below age; relies on adults to be understood.",
        "Uses sentences of five or more words to ask for help and to explain choices.",
        (
            (
                "Speech and language therapy programme",
                1.0,
                "weekly",
                "speech and language therapist",
            ),
            ("Daily practice of therapy targets", 1.25, "daily", "teaching assistant"),
        ),
    ),
    NeedCode.SEMH: _NeedText(
        "Struggles to regulate emotions; anxiety leads to leaving class and missed learning.",
        "Recognises rising anxiety and uses an agreed strategy to stay in lessons.",
        (
            ("Key adult check-ins and a calm space", 2.5, "daily", "key adult"),
            ("Emotional literacy sessions (ELSA)", 1.0, "weekly", "ELSA-trained assistant"),
        ),
    ),
    NeedCode.MLD: _NeedText(
        "Attainment well below peers across the curriculum; needs repetition to retain learning.",
        "Reads and understands texts at an age-related level set with the family each term.",
        (
            ("Small-group literacy and numeracy teaching", 5.0, "daily", "class teacher"),
            ("Pre-teaching of topic vocabulary", 1.5, "three times a week", "teaching assistant"),
        ),
    ),
    NeedCode.SLD: _NeedText(
        "Severe learning difficulties; needs adult support for most learning and self-care.",
        "Completes a familiar self-care routine with one prompt.",
        (
            ("Individual support across the school day", 25.0, "daily", "teaching assistant"),
            ("Sensory curriculum sessions", 2.0, "weekly", "class teacher"),
        ),
    ),
    NeedCode.PMLD: _NeedText(
        "Profound and multiple learning difficulties with complex physical and medical needs.",
        "Makes choices between two objects of reference in daily routines.",
        (
            ("Individual support including personal care", 30.0, "daily", "two trained adults"),
            ("Intensive interaction sessions", 2.5, "daily", "teaching assistant"),
        ),
    ),
    NeedCode.SPLD: _NeedText(
        "Specific difficulties with reading and spelling (dyslexia) despite good understanding.",
        "Reads fluently enough to access written tasks with assistive technology.",
        (
            (
                "Structured multisensory literacy programme",
                1.5,
                "three times a week",
                "specialist teacher",
            ),
            ("Use of text-to-speech software", 0.0, "in every lesson", "class teacher"),
        ),
    ),
    NeedCode.HI: _NeedText(
        "Moderate bilateral hearing loss; misses speech in group settings.",
        "Follows group discussion using a radio aid and agreed classroom strategies.",
        (
            (
                "Teacher of the deaf visits and advice",
                1.0,
                "fortnightly",
                "qualified teacher of the deaf",
            ),
            ("Radio aid checks and pre-tutoring", 1.5, "daily", "teaching assistant"),
        ),
    ),
    NeedCode.VI: _NeedText(
        "Severe visual impairment; needs modified print and mobility training.",
        "Moves independently around the school site.",
        (
            ("Modified large-print resources", 2.0, "daily", "teaching assistant"),
            ("Habilitation and mobility training", 1.0, "weekly", "habilitation specialist"),
        ),
    ),
    NeedCode.MSI: _NeedText(
        "Combined hearing and vision impairment affecting communication and mobility.",
        "Uses a consistent tactile signing system with familiar adults.",
        (("Intervenor support", 25.0, "daily", "trained intervenor"),),
    ),
    NeedCode.PD: _NeedText(
        "Cerebral palsy affecting mobility and fine motor skills; uses a wheelchair.",
        "Records work independently using a laptop with adapted access.",
        (
            (
                "Physiotherapy programme",
                1.0,
                "daily",
                "teaching assistant trained by physiotherapist",
            ),
            ("Support with personal care and transfers", 5.0, "daily", "two trained adults"),
        ),
    ),
    NeedCode.OTH: _NeedText(
        "A rare genetic condition causing fatigue and difficulty sustaining attention.",
        "Completes a morning of learning with planned rest breaks.",
        (("Planned rest breaks and adapted timetable", 2.5, "daily", "teaching assistant"),),
    ),
}
_HEALTH_NEEDS = {NeedCode.PD, NeedCode.PMLD, NeedCode.HI, NeedCode.VI, NeedCode.MSI}
_ADVICE_BY = {
    "education": "Class teacher and SENCo",
    "educational_psychologist": "Educational Psychology Service",
    "health": "Community paediatrician",
    "social_care": "Children's social care",
}


def build_sections(
    rng: random.Random,
    *,
    needs: list[NeedCode],
    advice_on: date,
    advice: list[str],
    named: NamedSetting | None,
) -> PlanSections:
    """Sections A–K for a child with these ranked needs (the first is the primary need)."""
    b = [
        Need(id=f"B{n}", need_code=need, description=_TEXT[need].need)
        for n, need in enumerate(needs, 1)
    ]
    f = [
        ProvisionLine(
            id=f"F{n}{chr(ord('a') + m)}",
            what=what,
            hours_per_week=hours,
            frequency=frequency,
            delivered_by=by,
            need_ids=[f"B{n}"],
        )
        for n, need in enumerate(needs, 1)
        for m, (what, hours, frequency, by) in enumerate(_TEXT[need].provision)
    ]
    health = [need for need in needs if need in _HEALTH_NEEDS]
    return PlanSections(
        a=SectionA(
            views="Enjoys music, swimming and being with friends; finds busy places hard.",
            interests="Music, swimming, animals",
            aspirations=rng.choice(
                [
                    "To make friends and go to the same school as them.",
                    "To work with animals when older.",
                    "To travel to school and college independently.",
                ]
            ),
        ),
        b=b,
        c=[
            Statement(id=f"C{n}", description=f"Health needs arising from {need} (see advice).")
            for n, need in enumerate(health, 1)
        ],
        d=[Statement(id="D1", description="Family receives short breaks support.")]
        if "social_care" in advice
        else [],
        e=[
            Outcome(
                id=f"E{n}",
                description=_TEXT[need].outcome,
                achieve_by=advice_on + timedelta(days=365 * 2),
                need_ids=[f"B{n}"],
            )
            for n, need in enumerate(needs, 1)
        ],
        f=f,
        g=[
            ServiceLine(
                id="G1",
                what="Review by the community paediatrician",
                frequency="every six months",
                delivered_by="NHS community paediatrics",
            )
        ]
        if health
        else [],
        h1=[
            ServiceLine(
                id="H1a",
                what="Short breaks",
                hours_per_week=3.0,
                frequency="weekly",
                delivered_by="Short breaks service",
            )
        ]
        if "social_care" in advice
        else [],
        i=named,
        j=[
            BudgetItem(
                id="J1",
                kind=rng.choice(list(BudgetKind)),
                amount_pence=rng.randrange(150_000, 900_000, 5_000),
                covers="Specialist tuition and equipment chosen with the family",
            )
        ]
        if rng.random() < PERSONAL_BUDGET_SHARE
        else [],
        k=[
            Advice(
                id=f"K{n}",
                advice=f"{kind.replace('_', ' ').capitalize()} advice",
                provided_by=_ADVICE_BY[kind],
                dated=advice_on,
            )
            for n, kind in enumerate(advice, 1)
        ],
    )
