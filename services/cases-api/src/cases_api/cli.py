"""`cases-api`: serve, migrate, seed, purge, recover audit events, and mint development tokens."""

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cases_api.auth.principal import Role
from cases_api.auth.scopes import SERVICE_SCOPES
from cases_api.settings import get_settings

if TYPE_CHECKING:
    from cases_api.backup import Outcome
    from cases_api.settings import Settings


def _serve(args: argparse.Namespace) -> None:
    import uvicorn
    from sqlalchemy.exc import OperationalError

    from cases_api.app import create_app
    from cases_api.core.db import create_db_engine
    from cases_api.schema_check import SchemaNotAtHead, require_schema_at_head

    settings = get_settings()
    engine = create_db_engine(settings)
    try:
        require_schema_at_head(engine)
    except SchemaNotAtHead as refusal:
        sys.exit(f"cases-api: not starting: {refusal}")
    except OperationalError:
        pass  # the app's own check logs it, and /readyz says not ready until the database answers
    finally:
        engine.dispose()
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "http": "httptools",
        "loop": "uvloop",
        "log_config": None,
        "proxy_headers": bool(settings.forwarded_allow_ips),
        "forwarded_allow_ips": settings.forwarded_allow_ips or None,
    }
    if args.workers > 1:
        # Each worker process imports the app and reads the same CASES_* environment.
        uvicorn.run("cases_api.app:create_app", factory=True, workers=args.workers, **options)
        return
    uvicorn.run(create_app(settings), **options)


def _migrate(_: argparse.Namespace) -> None:
    from cases_api.migrate import upgrade_to_head

    upgrade_to_head(get_settings())


def _seed(_: argparse.Namespace) -> None:
    from cases_api.demo.seed import seed_if_empty

    seeded = seed_if_empty(get_settings())
    print("Seeded demo data." if seeded else "Database already has data; not seeding.")


def _purge(args: argparse.Namespace) -> None:
    from datetime import date

    from cases_api.core.db import create_db_engine, create_session_factory
    from cases_api.core.time import today
    from cases_api.privacy.purge import purge_due

    as_of = date.fromisoformat(args.as_of) if args.as_of else today()
    engine = create_db_engine(get_settings())
    try:
        results = purge_due(
            create_session_factory(engine), as_of=as_of, purged_by=args.by, dry_run=args.dry_run
        )
    finally:
        engine.dispose()
    verb = "would purge" if args.dry_run else "purged"
    for result in results:
        outcome = f"kept ({result.skipped_because})" if result.skipped_because else verb
        print(f"{result.child_id}  {result.rule}  due {result.due_on}  {outcome}")
    done = sum(1 for result in results if result.skipped_because is None)
    print(f"{done} child record(s) {verb}; {len(results) - done} kept under legal hold.")


def _audit_recover(args: argparse.Namespace) -> None:
    from cases_api.audit.recovery import recover
    from cases_api.core.db import create_db_engine, create_session_factory

    engine = create_db_engine(get_settings())
    try:
        factory = create_session_factory(engine)
        for path in args.logfile:
            with open(path, encoding="utf-8", errors="replace") as lines:
                result = recover(factory, lines)
            for problem in result.unreadable:
                print(f"{path}: {problem}; skipped", file=sys.stderr)
            print(
                f"{path}: {result.lines} lines, {result.events} events not written, "
                f"{result.inserted} inserted, {result.already_in_trail} already in the trail, "
                f"{len(result.unreadable)} unreadable."
            )
    finally:
        engine.dispose()


def _backup(args: argparse.Namespace) -> None:
    from cases_api.backup import BackupError, backup

    settings = get_settings()
    target = Path(args.to) if args.to else _default_backup_path(settings)
    try:
        outcome = backup(settings.resolved_database_url, target)
    except BackupError as error:
        sys.exit(f"backup failed: {error}")
    _report("backed up", outcome.database_url, f"into {outcome.path}", outcome)


def _restore(args: argparse.Namespace) -> None:
    from cases_api.backup import BackupError, restore

    settings = get_settings()
    source = Path(args.source) if args.source else _latest_backup(settings)
    target = args.to or _default_restore_url(settings)
    try:
        outcome = restore(source, target)
    except BackupError as error:
        sys.exit(f"restore failed: {error}")
    _report("restored", str(source), f"into {outcome.database_url}", outcome)
    print("Row counts match the backup's, table by table.")


def _report(verb: str, source: str, where: str, outcome: "Outcome") -> None:
    width = max(len(table) for table in outcome.counts) if outcome.counts else 0
    for table, rows in outcome.counts.items():
        print(f"  {table:<{width}}  {rows:>9}")
    print(f"Integrity: {outcome.integrity}.")
    print(
        f"{verb.capitalize()} {source} {where}: {len(outcome.counts)} tables, "
        f"{outcome.rows} rows in {outcome.seconds:.2f} s."
    )


def _stamp() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _backups_dir(settings: "Settings") -> Path:
    return settings.data_dir / "backups"


def _default_backup_path(settings: "Settings") -> Path:
    suffix = ".db" if settings.resolved_database_url.startswith("sqlite") else ".dump"
    return _backups_dir(settings) / f"cases-{_stamp()}{suffix}"


def _latest_backup(settings: "Settings") -> Path:
    suffix = ".db" if settings.resolved_database_url.startswith("sqlite") else ".dump"
    found = sorted(_backups_dir(settings).glob(f"cases-*{suffix}"))
    if not found:
        sys.exit(f"no backups in {_backups_dir(settings)}; run `cases-api backup` first")
    return found[-1]


def _default_restore_url(settings: "Settings") -> str:
    from sqlalchemy.engine import make_url

    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{settings.data_dir / 'restored' / f'cases-{_stamp()}.db'}"
    restored = f"{url.database}_restored_{_stamp().lower()}"
    return url.set(database=restored).render_as_string(hide_password=False)


def _token(args: argparse.Namespace) -> None:
    from cases_api.auth.tokens import mint_local_token

    settings = get_settings()
    if not settings.uses_local_signing_key:
        sys.exit("Tokens come from your identity provider when an issuer key is configured.")
    role = Role(args.role)
    if role in (Role.OFFICER, Role.SERVICE, Role.ADMIN) and not args.la:
        sys.exit(f"--la is required for the {role} role")
    if role is Role.SCHOOL and not args.urn:
        sys.exit("--urn is required for the school role")
    token = mint_local_token(
        settings,
        role=role,
        subject=args.sub or f"local-{role.value}",
        la_code=args.la,
        school_urns=tuple(args.urn or ()),
        guardian_external_id=args.guardian_external_id
        or (f"guardian-{args.sub or 'local'}" if role is Role.PARENT else None),
        scopes=tuple(args.scope or ()),
        ttl_s=args.ttl,
    )
    print(
        f"# {role.value} token, valid {args.ttl} s, for the local development issuer",
        file=sys.stderr,
    )
    print(token)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `cases-api` command."""
    parser = argparse.ArgumentParser(prog="cases-api", description=__doc__)
    commands = parser.add_subparsers(required=True, dest="command")

    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes sharing the port (each has its own thread and connection pools)",
    )
    serve.set_defaults(handler=_serve)

    commands.add_parser("migrate", help="apply migrations up to head").set_defaults(
        handler=_migrate
    )
    commands.add_parser("seed", help="seed demo data into an empty database").set_defaults(
        handler=_seed
    )

    purge = commands.add_parser(
        "purge", help="dispose of the records retention says are due (never under legal hold)"
    )
    purge.add_argument("--dry-run", action="store_true", help="list what would go; change nothing")
    purge.add_argument("--as-of", help="the day to judge by, YYYY-MM-DD (default today)")
    purge.add_argument("--by", default=f"cli:{getpass.getuser()}", help="who is purging")
    purge.set_defaults(handler=_purge)

    audit_recover = commands.add_parser(
        "audit-recover",
        help="put audit events logged as not written (the database was down) into the trail; "
        "idempotent",
    )
    audit_recover.add_argument("logfile", nargs="+", help="JSON log files of cases-api")
    audit_recover.set_defaults(handler=_audit_recover)

    backup = commands.add_parser(
        "backup", help="back the database up (pg_dump, or SQLite's online backup), then check it"
    )
    backup.add_argument("--to", help="the backup file (default var/backups/cases-<time>.db|.dump)")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore", help="restore a backup into a new database, then check it against the backup"
    )
    restore.add_argument("--from", dest="source", help="the backup (default the newest one)")
    restore.add_argument(
        "--to", help="URL of the new database (default a new one beside the configured one)"
    )
    restore.set_defaults(handler=_restore)

    token = commands.add_parser("token", help="print a development token (last line)")
    token.add_argument("--role", required=True, choices=[role.value for role in Role])
    token.add_argument("--la", help="LA code, e.g. 855", default=None)
    token.add_argument("--urn", type=int, action="append", help="school URN (repeatable)")
    token.add_argument(
        "--guardian-external-id",
        "--guardian",
        dest="guardian_external_id",
        help="the guardian's external id (guardians.external_id, not its id), for parents",
    )
    token.add_argument("--sub", help="subject (user id)")
    token.add_argument(
        "--scope",
        action="append",
        choices=sorted(SERVICE_SCOPES),
        help="OAuth scope of a service client (repeatable), e.g. children:read",
    )
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    token.set_defaults(handler=_token)

    args = parser.parse_args(argv)
    args.handler(args)
