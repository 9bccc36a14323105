"""The reference `make bench-api` measures cases-api against: the least a web app can do.

A bare FastAPI app on the same uvicorn (httptools, uvloop) as `cases-api serve`, reading one row of
`children` by id with raw async psycopg from a pool of 4 to 10 connections; no token, no scope, no
ORM, no response model. Routes:

  GET /healthz                    {"status": "ok"}, no database
  GET /children/{id}              the row, as JSON
  GET /children/{id}/audited      the same read, plus one `audit_events` row inserted and committed
                                  in the same transaction

Run: python scripts/bench_reference_app.py --dsn postgresql://postgres@127.0.0.1/db --port 8100
"""

import argparse
import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import uvicorn
from fastapi import FastAPI, HTTPException, Response
from psycopg.rows import dict_row

_READ = "SELECT * FROM children WHERE id = %s"
_AUDIT = (
    "INSERT INTO audit_events (id, occurred_at, subject, role, la_code, school_urns, action,"
    " resource_type, resource_id, child_id, operation_id, method, path, outcome)"
    " VALUES (%s, %s, 'bench-reference', 'officer', '855', '[]', 'read', 'children', %s, %s,"
    " 'getChild', 'GET', %s, 200)"
)


class Pool:
    """Connections opened on demand from `low` up to `high`, reused in turn (psycopg_pool's
    `AsyncConnectionPool` in a few lines, so the benchmark needs no extra dependency)."""

    def __init__(self, dsn: str, low: int, high: int) -> None:
        self.dsn, self.low, self.high = dsn, low, high
        self.idle: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
        self.opened = 0

    async def open(self) -> None:
        for _ in range(self.low):
            await self.idle.put(await self._connect())

    async def _connect(self) -> psycopg.AsyncConnection[Any]:
        self.opened += 1
        return await psycopg.AsyncConnection.connect(self.dsn, row_factory=dict_row)

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        if self.idle.empty() and self.opened < self.high:
            connection = await self._connect()
        else:
            connection = await self.idle.get()
        try:
            yield connection
        finally:
            await self.idle.put(connection)

    async def close(self) -> None:
        while not self.idle.empty():
            await (await self.idle.get()).close()


def create_app(dsn: str) -> FastAPI:
    pool = Pool(dsn, 4, 10)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.open()
        yield
        await pool.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    async def read(child_id: uuid.UUID, *, audited: bool) -> Response:
        async with pool.connection() as connection, connection.transaction():
            row = await (await connection.execute(_READ, (child_id,))).fetchone()
            if row is None:
                raise HTTPException(404)
            if audited:
                path = f"/children/{child_id}/audited"
                values = (uuid.uuid4(), datetime.now(UTC), str(child_id), child_id, path)
                await connection.execute(_AUDIT, values)
        return Response(json.dumps(row, default=str), media_type="application/json")

    @app.get("/children/{child_id}")
    async def child(child_id: uuid.UUID) -> Response:
        return await read(child_id, audited=False)

    @app.get("/children/{child_id}/audited")
    async def child_audited(child_id: uuid.UUID) -> Response:
        return await read(child_id, audited=True)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", required=True, help="libpq URL of the PostgreSQL database")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        create_app(args.dsn),
        host="127.0.0.1",
        port=args.port,
        http="httptools",
        loop="uvloop",
        log_level="warning",
    )


if __name__ == "__main__":
    main()
