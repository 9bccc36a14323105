from send_contracts import NeedCode, Problem, ProvisionKind


def test_need_codes_are_the_twelve_sen2_codes_for_plans() -> None:
    assert {code.value for code in NeedCode} == {
        "SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH",
    }  # fmt: skip


def test_provision_kinds_match_the_matching_contract() -> None:
    assert [kind.value for kind in ProvisionKind] == [
        "mainstream", "resource_base", "special_school", "independent",
        "alternative", "early_years", "post16",
    ]  # fmt: skip


def test_problem_keeps_extension_members() -> None:
    problem = Problem(title="Conflict", status=409, current_state="final_issued")  # type: ignore[call-arg]
    assert problem.model_dump(exclude_none=True)["current_state"] == "final_issued"
