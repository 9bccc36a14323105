"""`cases-api seed`: fill an empty database with the demo county."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cases_api.core.db import create_db_engine
from cases_api.core.time import today
from cases_api.demo.children_seed import seed_children
from cases_api.demo.county import FIGURES_AS_OF, build_demo_directory
from cases_api.demo.plans_seed import seed_plans
from cases_api.provisions.models import Establishment, Provision, ProvisionNeed
from cases_api.settings import Settings


def seed_directory(session: Session) -> int:
    """Add the demo establishments and provisions; returns how many provisions."""
    directory = build_demo_directory()
    for establishment in directory.establishments:
        session.add(Establishment(**vars(establishment)))
    session.flush()
    for demo in directory.provisions:
        fields = vars(demo).copy()
        needs = fields.pop("designated_needs")
        session.add(
            Provision(
                **fields,
                figures_as_of=FIGURES_AS_OF,
                need_rows=[ProvisionNeed(need=need) for need in needs],
            )
        )
    session.flush()
    return len(directory.provisions)


def seed_if_empty(settings: Settings) -> bool:
    """Seed the demo data in one transaction if the directory is empty; True if it seeded."""
    engine = create_db_engine(settings)
    try:
        with Session(engine) as session, session.begin():
            if session.scalar(sa.select(sa.func.count()).select_from(Establishment)):
                return False
            seed_directory(session)
            seed_children(session, today=today())
            seed_plans(session, today=today())  # reads the children and requests: keep it after
        return True
    finally:
        engine.dispose()
