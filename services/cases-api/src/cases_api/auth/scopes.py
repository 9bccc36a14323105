"""The OAuth scopes a service client (another council system) carries in its token.

People are governed by their role (officer, parent, school, admin) and carry no scopes; a service
client (`role` = `service`) reads what its scopes name, within its LA, and changes nothing.
Two scopes open fields rather than routes: without them a service client gets records with those
fields withheld, as a school does (`access.redaction`).
"""

SOCIAL_CARE_READ = "social_care:read"
LOCATIONS_READ = "locations:read"

SERVICE_SCOPES: dict[str, str] = {
    "children:read": "Children's records (names, dates of birth, needs, schools) and their "
    "phase transfers",
    "guardians:read": "Guardian accounts and their links to children (contact details)",
    "assessments:read": "Requests for EHC needs assessment, their clocks, advice, corrections "
    "and disputes",
    "plans:read": "EHC plans, their versions, diffs, family submissions and annual reviews",
    "placements:read": "Placements in provisions, with their costs",
    "rounds:read": "Allocation rounds, their proposals and decisions, and consultations",
    SOCIAL_CARE_READ: "Plan sections D, H1 and H2 (social care); withheld without it",
    LOCATIONS_READ: "Children's home postcodes and home locations; null without it",
}


def parse_scopes(claim: object) -> frozenset[str]:
    """The scopes a token's `scope` (RFC 8693: space-separated) or `scp` claim holds; Entra ID
    sends `scp` as a space-separated string, some issuers as a list."""
    if isinstance(claim, str):
        return frozenset(claim.split())
    if isinstance(claim, list) and all(isinstance(item, str) for item in claim):
        return frozenset(claim)
    return frozenset()
