"""EHC plans over HTTP: versions kept and read back, the comment window, ETags, who may write."""

from collections.abc import Callable
from datetime import date

import pytest
from cases_factories import named_setting_body, plan_body, plan_sections_body
from fastapi.testclient import TestClient
from plans_helpers import add_version, create_plan, final_plan, make_child
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases_api.plans.models import Plan, VersionKind

Auth = Callable[..., dict[str, str]]


def test_a_plan_starts_as_a_draft(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    child = make_child(session)
    response = client.post("/v1/plans", json=plan_body(str(child.id)), headers=officer)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert response.headers["Location"] == f"/v1/plans/{plan['id']}"
    assert response.headers["ETag"] == plan["etag"] == '"v1"'
    assert plan["status"] == "draft"
    assert plan["latest_version"]["number"] == 1
    assert plan["latest_version"]["kind"] == "draft"
    assert plan["made_on"] is None
    assert plan["may_finalise_from"] == "2026-04-16"
    assert plan["named_setting"] is None


def test_every_version_is_kept_and_retrievable(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    child = make_child(session)
    plan = create_plan(client, officer, child)
    assert add_version(client, officer, plan, "draft", "2026-04-05").status_code == 201
    assert add_version(client, officer, plan, "final", "2026-04-21").status_code == 201
    assert add_version(client, officer, plan, "amendment_notice", "2027-03-01").status_code == 201
    assert add_version(client, officer, plan, "reissue", "2027-04-01").status_code == 201

    listed = client.get(f"/v1/plans/{plan['id']}/versions", headers=officer).json()
    assert [(v["number"], v["kind"]) for v in listed["items"]] == [
        (1, "draft"),
        (2, "draft"),
        (3, "final"),
        (4, "amendment_notice"),
        (5, "reissue"),
    ]
    first = client.get(f"/v1/plans/{plan['id']}/versions/1", headers=officer).json()
    assert first["sections"]["i"] is None
    assert first["sections"]["b"][0]["id"] == "B1"
    assert first["needs_met_by"] == [
        {"need_id": "B1", "need_code": "ASD", "f_line_ids": ["F1"]},
        {"need_id": "B2", "need_code": "SLCN", "f_line_ids": ["F2"]},
    ]
    third = client.get(f"/v1/plans/{plan['id']}/versions/3", headers=officer).json()
    assert third["sections"]["i"]["setting_code"] == "OTH"
    assert client.get(f"/v1/plans/{plan['id']}/versions/6", headers=officer).status_code == 404

    read = client.get(f"/v1/plans/{plan['id']}", headers=officer).json()
    assert read["status"] == "in_force"
    assert read["made_on"] == "2026-04-21"
    assert read["next_review_due"] == "2027-04-20"
    assert read["etag"] == '"v5"'


def test_versions_paginate(client: TestClient, officer: dict[str, str], session: Session) -> None:
    child = make_child(session)
    plan = create_plan(client, officer, child)
    for day in ("02", "03", "04"):
        assert add_version(client, officer, plan, "draft", f"2026-04-{day}").status_code == 201
    page = client.get(f"/v1/plans/{plan['id']}/versions", params={"limit": 3}, headers=officer)
    assert [v["number"] for v in page.json()["items"]] == [1, 2, 3]
    link = page.headers["Link"]
    rest = client.get(link[1 : link.index(">")], headers=officer).json()
    assert [v["number"] for v in rest["items"]] == [4]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("final_on", "waived_on_draft", "waived_on_final", "expected"),
    [
        ("2026-04-15", False, False, 409),  # the 15th day of the window, which began on the 1st
        ("2026-04-16", False, False, 201),
        ("2026-04-01", True, False, 201),  # waived when the draft was sent
        ("2026-04-10", False, True, 201),  # waived since
    ],
)
def test_finalising_waits_for_the_comment_window_unless_waived(
    client: TestClient,
    officer: dict[str, str],
    session: Session,
    final_on: str,
    waived_on_draft: bool,
    waived_on_final: bool,
    expected: int,
) -> None:
    child = make_child(session)
    plan = create_plan(
        client, officer, child, issued_on="2026-04-01", comments_waived=waived_on_draft
    )
    response = add_version(
        client, officer, plan, "final", final_on, comments_waived=waived_on_final
    )
    assert response.status_code == expected, response.text
    if expected == 409:
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert problem["may_finalise_from"] == "2026-04-16"
        assert "2026-04-16" in problem["detail"]


def test_the_amended_plan_waits_for_the_amendment_notices_window(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = final_plan(client, officer, make_child(session))
    assert add_version(client, officer, plan, "amendment_notice", "2026-10-01").status_code == 201
    early = add_version(client, officer, plan, "reissue", "2026-10-10")
    assert early.status_code == 409
    assert early.json()["may_finalise_from"] == "2026-10-16"
    assert add_version(client, officer, plan, "reissue", "2026-10-16").status_code == 201


@pytest.mark.parametrize(
    ("after", "kind"),
    [
        ([], "amendment_notice"),  # a draft is not yet in force
        ([], "reissue"),
        ([("final", "2026-04-20")], "final"),  # made final once
        ([("final", "2026-04-20")], "draft"),
    ],
)
def test_versions_follow_only_lawful_predecessors(
    client: TestClient,
    officer: dict[str, str],
    session: Session,
    after: list[tuple[str, str]],
    kind: str,
) -> None:
    plan = create_plan(client, officer, make_child(session))
    for earlier_kind, on in after:
        assert add_version(client, officer, plan, earlier_kind, on).status_code == 201
    response = add_version(client, officer, plan, kind, "2026-09-01")
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"


def test_a_version_cannot_predate_the_last(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = create_plan(client, officer, make_child(session), issued_on="2026-04-01")
    assert add_version(client, officer, plan, "draft", "2026-03-31").status_code == 422


def _bad_f_link() -> dict[str, object]:
    sections = plan_sections_body()
    sections["f"][1]["need_ids"] = ["B2", "B9"]
    return sections


def _negative_hours() -> dict[str, object]:
    sections = plan_sections_body()
    sections["f"][0]["hours_per_week"] = -1
    return sections


def _hours_as_text() -> dict[str, object]:
    sections = plan_sections_body()
    sections["f"][0]["hours_per_week"] = "2.5"
    return sections


def _duplicate_need_id() -> dict[str, object]:
    sections = plan_sections_body()
    sections["b"][1]["id"] = "B1"
    return sections


@pytest.mark.parametrize(
    ("sections", "location", "words"),
    [
        (_bad_f_link(), "body.sections", "F line F2 is linked to B needs that do not exist: B9"),
        (_negative_hours(), "body.sections.f.0.hours_per_week", "greater than or equal to 0"),
        (_hours_as_text(), "body.sections.f.0.hours_per_week", "valid number"),
        (_duplicate_need_id(), "body.sections", "section B uses the id B1 twice"),
        (
            plan_sections_body(i={"setting_code": "XYZ"}),
            "body.sections.i.setting_code",
            "EHE",
        ),
        (
            plan_sections_body(i={"setting_code": "EHE", "provision_id": None, "x": 1}),
            "body.sections.i.x",
            "Extra inputs",
        ),
    ],
)
def test_sections_are_validated(
    client: TestClient,
    officer: dict[str, str],
    session: Session,
    sections: dict[str, object],
    location: str,
    words: str,
) -> None:
    child = make_child(session)
    response = client.post(
        "/v1/plans", json=plan_body(str(child.id), sections=sections), headers=officer
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["location"] == location and words in e["message"] for e in errors), errors


def test_an_unknown_setting_code_is_refused_in_a_final(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = create_plan(client, officer, make_child(session))
    response = add_version(
        client,
        officer,
        plan,
        "final",
        "2026-04-20",
        sections=plan_sections_body(i={"setting_code": "SCHOOL"}),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "body.sections.i.setting_code"


@pytest.mark.parametrize(
    ("kind", "sections", "words"),
    [
        ("draft", plan_sections_body(i=named_setting_body()), "Section I stays blank in a draft"),
        ("final", plan_sections_body(), "names a setting in section I"),
        (
            "final",
            plan_sections_body(i=named_setting_body(), f=[plan_sections_body()["f"][0]]),
            "none meets: B2",
        ),
        (
            "final",
            plan_sections_body(i={"provision_id": "00000000-0000-4000-8000-000000000000"}),
            "not in the directory",
        ),
    ],
)
def test_rules_of_each_kind_of_version(
    client: TestClient,
    officer: dict[str, str],
    session: Session,
    kind: str,
    sections: dict[str, object],
    words: str,
) -> None:
    plan = create_plan(client, officer, make_child(session))
    response = add_version(client, officer, plan, kind, "2026-04-20", sections=sections)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_new_versions_need_the_plans_current_etag(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    plan = create_plan(client, officer, make_child(session))
    url = f"/v1/plans/{plan['id']}/versions"
    body = {"kind": "draft", "issued_on": "2026-04-02", "sections": plan_sections_body()}
    assert client.post(url, json=body, headers=officer).status_code == 428
    ok = client.post(url, json=body, headers=officer | {"If-Match": plan["etag"]})
    assert ok.status_code == 201
    assert ok.headers["ETag"] == '"v2"'
    assert ok.headers["Location"] == f"/v1/plans/{plan['id']}/versions/2"
    stale = client.post(url, json=body, headers=officer | {"If-Match": plan["etag"]})
    assert stale.status_code == 412
    assert stale.json()["current_etag"] == '"v2"'


def test_one_plan_per_child_until_it_ceases(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    child = make_child(session)
    first = create_plan(client, officer, child)
    again = client.post("/v1/plans", json=plan_body(str(child.id)), headers=officer)
    assert again.status_code == 409
    assert again.json()["plan_id"] == first["id"]


def test_who_may_write(client: TestClient, auth: Auth, session: Session) -> None:
    child = make_child(session, la_code="855")
    body = plan_body(str(child.id))
    assert client.post("/v1/plans", json=body, headers=auth("parent")).status_code == 403
    assert client.post("/v1/plans", json=body, headers=auth("school")).status_code == 403
    other_la = auth("officer", la_code="856")
    # Another LA's child is unknown to this officer: the same 422 as a child that does not exist.
    assert client.post("/v1/plans", json=body, headers=other_la).status_code == 422
    assert client.post("/v1/plans", json=body, headers=auth("admin")).status_code == 403
    assert client.post("/v1/plans", json=body, headers=auth("officer")).status_code == 201


def test_an_unknown_child_is_invalid_input(client: TestClient, officer: dict[str, str]) -> None:
    body = plan_body("00000000-0000-4000-8000-000000000000")
    response = client.post("/v1/plans", json=body, headers=officer)
    assert response.status_code == 422
    assert "not a known child" in response.json()["detail"]


def test_list_plans_filters(
    client: TestClient, officer: dict[str, str], auth: Auth, session: Session
) -> None:
    drafted = create_plan(client, officer, make_child(session))
    in_force = final_plan(client, officer, make_child(session))
    officer_856 = auth("officer", la_code="856")
    elsewhere = create_plan(client, officer_856, make_child(session, la_code="856"))
    in_856 = client.get("/v1/plans", params={"la_code": "856"}, headers=officer_856)
    assert [p["id"] for p in in_856.json()["items"]] == [elsewhere["id"]]
    hidden = client.get("/v1/plans", params={"la_code": "856"}, headers=officer)
    assert hidden.json()["items"] == []  # officers see only their own LA's plans
    by_status = client.get(
        "/v1/plans", params={"status": "in_force", "la_code": "855"}, headers=officer
    ).json()
    assert [p["id"] for p in by_status["items"]] == [in_force["id"]]
    drafts = client.get("/v1/plans", params={"status": "draft", "la_code": "855"}, headers=officer)
    assert [p["id"] for p in drafts.json()["items"]] == [drafted["id"]]
    by_child = client.get(
        "/v1/plans", params={"child_id": in_force["child_id"]}, headers=officer
    ).json()
    assert [p["id"] for p in by_child["items"]] == [in_force["id"]]


@pytest.mark.parametrize(
    "overrides",
    [
        {"issued_on": 0},  # lax parsing would read 1 January 1970
        {"issued_on": "2026-02-30"},
        {"issued_on": "1999-12-31"},
        {"assessment_request_id": "00000000-0000-4000-8000-000000000000"},
    ],
)
def test_dates_and_request_links_are_checked(
    client: TestClient, officer: dict[str, str], session: Session, overrides: dict[str, object]
) -> None:
    body = plan_body(str(make_child(session).id), **overrides)
    assert client.post("/v1/plans", json=body, headers=officer).status_code == 422


def test_the_database_holds_one_plan_per_child_until_it_ceases(
    client: TestClient, officer: dict[str, str], session: Session
) -> None:
    child = make_child(session)
    create_plan(client, officer, child)
    second = Plan(child_id=child.id, latest_version_number=1, latest_kind=VersionKind.DRAFT)
    session.add(second)
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.add(
        Plan(
            child_id=child.id,
            latest_version_number=1,
            latest_kind=VersionKind.FINAL,
            ceased_on=date(2025, 1, 1),
            cease_reason=2,
        )
    )
    session.flush()
