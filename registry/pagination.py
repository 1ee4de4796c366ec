"""One page of a list, counted exactly only when counting is cheap.

Lists of a million workers cannot be counted on every request, so a count is capped: beyond
the cap the page says "more than N" and offers the next page while there is one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

#: Lists are counted exactly up to this many rows.
COUNT_CAP = 2_000


@dataclass
class Window:
    """The rows of one page and what is known about the rest."""

    items: list[Any]
    page: int
    per_page: int
    #: Exact number of rows, or None when it was not counted or exceeds `cap`.
    total: int | None
    has_next: bool
    #: Set when counting stopped at this many rows ("hơn 10.000").
    cap: int | None = None

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    @property
    def pages(self) -> int | None:
        """Number of pages when the total is known."""
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))

    def iter_pages(self, edge: int = 1, around: int = 2) -> Iterator[int | None]:
        """Page numbers to link, None standing for a gap."""
        last = self.pages or (self.page + 1 if self.has_next else self.page)
        shown = sorted(
            {*range(1, edge + 1), *range(max(1, self.page - around), self.page + around + 1)}
            | ({*range(last - edge + 1, last + 1)} if self.pages else set())
        )
        previous = 0
        for number in shown:
            if number > last:
                break
            if number != previous + 1:
                yield None
            yield number
            previous = number


#: No list has this many pages; a larger ?page= would overflow the database's OFFSET.
MAX_PAGE = 1_000_000


def requested_page() -> int:
    """The ?page= argument, from 1 to MAX_PAGE (a page past the end is simply empty)."""
    return min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)


def paginate(
    session: Session,
    stmt: Select,
    page: int | None = None,
    per_page: int | None = None,
    count: bool = True,
    cap: int = COUNT_CAP,
    scalars: bool = True,
) -> Window:
    """Fetch one page of stmt (one row more, to know if another page follows) and count it.

    The last page gives the total without counting; before it, count=False skips counting,
    for searches whose count would scan too much.
    """
    page = page or requested_page()
    per_page = per_page or current_app.config["REGISTRY_PAGE_SIZE"]
    paged = stmt.limit(per_page + 1).offset((page - 1) * per_page)
    rows = list(session.scalars(paged) if scalars else session.execute(paged))
    has_next = len(rows) > per_page
    total = None
    capped = None
    if not has_next and (rows or page == 1):
        # The last page is in hand: the total needs no counting.
        total = (page - 1) * per_page + len(rows)
    elif count:
        counted = session.scalar(
            select(func.count()).select_from(stmt.order_by(None).limit(cap + 1).subquery())
        )
        if counted > cap:
            capped = cap
        else:
            total = counted
    return Window(rows[:per_page], page, per_page, total, has_next, capped)
