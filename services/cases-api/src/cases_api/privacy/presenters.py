"""Exports and retention as the API shows them."""

from cases_api.privacy.document import redact, render_html
from cases_api.privacy.gathering import items
from cases_api.privacy.models import ExportStatus, SubjectAccessExport
from cases_api.privacy.retention import DueChild
from cases_api.privacy.schemas import DueChildRead, ExportItem, ExportRead


def _is_redacted(path: str, redacted_paths: list[str]) -> bool:
    return any(path == marked or path.startswith(marked + "/") for marked in redacted_paths)


def present_export(export: SubjectAccessExport) -> ExportRead:
    """The export with its redactions applied to `content`, and every item flagged."""
    return ExportRead(
        id=export.id,
        child_id=export.child_id,
        requesting_guardian_id=export.requesting_guardian_id,
        status=export.status,
        created_by=export.created_by,
        created_at=export.created_at,
        released_by=export.released_by,
        released_at=export.released_at,
        redacted_paths=export.redacted_paths,
        content=redact(export.content, export.redacted_paths),
        items=[
            ExportItem(path=path, value=value, redacted=_is_redacted(path, export.redacted_paths))
            for path, value in items(export.content)
        ],
    )


def export_document(export: SubjectAccessExport) -> str:
    """The export as a printable HTML document, redactions applied."""
    released = export.released_at
    heading = {
        "Export": str(export.id),
        "Child": str(export.child_id),
        "Status": (
            f"Released {released:%d %B %Y} by {export.released_by}"
            if export.status is ExportStatus.RELEASED and released is not None
            else "Draft — not released"
        ),
        "Prepared": f"{export.created_at:%d %B %Y} by {export.created_by}",
    }
    return render_html(
        title="Subject access request: records held about a child",
        heading=heading,
        content=redact(export.content, export.redacted_paths),
    )


def present_due(due: DueChild) -> DueChildRead:
    """A child due for disposal."""
    return DueChildRead(
        child_id=due.child_id,
        la_code=due.la_code,
        record_class=due.rule.record_class,
        due_on=due.due_on,
        on_legal_hold=due.on_legal_hold,
    )
