"""Date arithmetic in SQL that reads the same on SQLite (ISO text dates) and PostgreSQL."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class days_after(FunctionElement[date]):  # noqa: N801 - reads as the SQL function it renders
    """``column`` + ``days`` calendar days, as a date."""

    type = sa.Date()
    inherit_cache = True
    name = "days_after"

    def __init__(self, column: sa.ColumnExpressionArgument[date], days: int) -> None:
        self.days = int(days)
        super().__init__(column)


@compiles(days_after)
def _days_after_postgresql(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    # date + integer is a date in PostgreSQL.
    return f"({compiler.process(element.clauses, **kw)} + {element.days})"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element: days_after, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLAlchemy stores dates as 'YYYY-MM-DD' on SQLite; date() answers in the same form.
    return f"date({compiler.process(element.clauses, **kw)}, '{element.days:+d} days')"
