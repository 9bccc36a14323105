"""Diffs between plan versions: per section, per item by id, per field; exact expected output."""

import copy
from typing import Any

from cases_factories import named_setting_body, plan_sections_body
from fastapi.testclient import TestClient
from plans_helpers import add_version, create_plan, make_child
from sqlalchemy.orm import Session

from cases_api.plans.diff import Change, ChangeKind, diff_sections
from cases_api.plans.sections import PlanSections


def _stored(body: dict[str, Any]) -> dict[str, Any]:
    return PlanSections.model_validate(body).model_dump(mode="json")


def test_identical_sections_have_no_changes() -> None:
    sections = _stored(plan_sections_body())
    assert diff_sections(sections, copy.deepcopy(sections)) == []


def test_reordering_items_is_no_change() -> None:
    before = plan_sections_body()
    after = plan_sections_body(f=list(reversed(before["f"])))
    assert diff_sections(_stored(before), _stored(after)) == []


def test_fields_items_and_records_each_reported_once() -> None:
    before = plan_sections_body()
    after = copy.deepcopy(before)
    after["a"]["aspirations"] = "To go to Castle Rock with his friends."
    after["b"][1]["description"] = "Expressive and receptive language delay."
    after["f"][0]["hours_per_week"] = 5
    after["f"][0]["frequency"] = "twice weekly"
    del after["c"][0]
    after["f"].append(
        {
            "id": "F3",
            "what": "Sensory breaks",
            "hours_per_week": 1.5,
            "frequency": "daily",
            "delivered_by": "teaching assistant",
            "need_ids": ["B1"],
        }
    )
    after["i"] = named_setting_body()

    assert diff_sections(_stored(before), _stored(after)) == [
        Change(
            section="A",
            change=ChangeKind.CHANGED,
            item_id=None,
            field="aspirations",
            before="To go to secondary school with his friends.",
            after="To go to Castle Rock with his friends.",
        ),
        Change(
            section="B",
            change=ChangeKind.CHANGED,
            item_id="B2",
            field="description",
            before="Delayed expressive language.",
            after="Expressive and receptive language delay.",
        ),
        Change(
            section="C",
            change=ChangeKind.REMOVED,
            item_id="C1",
            field=None,
            before={"id": "C1", "description": "Sleep difficulties."},
            after=None,
        ),
        Change(
            section="F",
            change=ChangeKind.CHANGED,
            item_id="F1",
            field="hours_per_week",
            before=2.5,
            after=5.0,
        ),
        Change(
            section="F",
            change=ChangeKind.CHANGED,
            item_id="F1",
            field="frequency",
            before="weekly",
            after="twice weekly",
        ),
        Change(
            section="F",
            change=ChangeKind.ADDED,
            item_id="F3",
            field=None,
            before=None,
            after={
                "id": "F3",
                "what": "Sensory breaks",
                "hours_per_week": 1.5,
                "frequency": "daily",
                "delivered_by": "teaching assistant",
                "need_ids": ["B1"],
            },
        ),
        Change(
            section="I",
            change=ChangeKind.ADDED,
            item_id=None,
            field=None,
            before=None,
            after={
                "provision_id": None,
                "setting_code": "OTH",
                "description": "Mainstream primary",
                "starts_on": None,
            },
        ),
    ]


def test_the_diff_endpoint_groups_changes_by_section(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = create_plan(client, officer, make_child(session))
    final_sections = plan_sections_body(i=named_setting_body(starts_on="2026-09-03"))
    final_sections["f"][1]["hours_per_week"] = 2
    response = add_version(client, officer, plan, "final", "2026-04-20", sections=final_sections)
    assert response.status_code == 201, response.text

    diff = client.get(f"/v1/plans/{plan['id']}/versions/1/diff/2", headers=officer)
    assert diff.status_code == 200
    assert diff.json() == {
        "plan_id": plan["id"],
        "from_version": 1,
        "to_version": 2,
        "from_kind": "draft",
        "to_kind": "final",
        "change_count": 2,
        "sections": [
            {
                "section": "F",
                "changes": [
                    {
                        "change": "changed",
                        "item_id": "F2",
                        "field": "hours_per_week",
                        "before": 1.0,
                        "after": 2.0,
                    }
                ],
            },
            {
                "section": "I",
                "changes": [
                    {
                        "change": "added",
                        "item_id": None,
                        "field": None,
                        "before": None,
                        "after": {
                            "provision_id": None,
                            "setting_code": "OTH",
                            "description": "Mainstream primary",
                            "starts_on": "2026-09-03",
                        },
                    }
                ],
            },
        ],
    }
    backwards = client.get(f"/v1/plans/{plan['id']}/versions/2/diff/1", headers=officer).json()
    assert backwards["sections"][1]["changes"][0]["change"] == "removed"
    missing = client.get(f"/v1/plans/{plan['id']}/versions/1/diff/3", headers=officer)
    assert missing.status_code == 404
