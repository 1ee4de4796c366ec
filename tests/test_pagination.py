"""Pages of a list: rows, next/previous, and the total known without counting on the last page."""

from sqlalchemy import event, select

from registry.pagination import paginate
from registry.workers.models import Worker


def _workers(make, n: int) -> list[int]:
    enterprise = make.enterprise()
    return [make.worker(enterprise).id for _ in range(n)]


def _counting(db) -> list[str]:
    statements: list[str] = []

    def seen(conn, cursor, statement, params, context, many):
        if "count(" in statement.lower():
            statements.append(statement)

    event.listen(db.get_bind(), "before_cursor_execute", seen)
    return statements


def test_the_last_page_gives_the_total_without_a_count_query(db, make):
    ids = _workers(make, 7)
    stmt = select(Worker.id).where(Worker.id.in_(ids)).order_by(Worker.id)
    counts = _counting(db)

    first = paginate(db, stmt, page=1, per_page=5, count=False)
    assert first.items == ids[:5] and first.has_next and first.total is None

    last = paginate(db, stmt, page=2, per_page=5, count=False)
    assert last.items == ids[5:] and not last.has_next
    assert last.total == 7 and last.pages == 2 and last.prev_num == 1

    only = paginate(db, stmt.where(Worker.id.in_(ids[:3])), page=1, per_page=5)
    assert only.items == ids[:3] and only.total == 3
    assert counts == []


def test_earlier_pages_are_counted_when_counting_is_allowed(db, make):
    ids = _workers(make, 7)
    stmt = select(Worker.id).where(Worker.id.in_(ids)).order_by(Worker.id)
    counts = _counting(db)
    window = paginate(db, stmt, page=1, per_page=5)
    assert window.total == 7 and window.has_next
    assert len(counts) == 1
    capped = paginate(db, stmt, page=1, per_page=2, cap=4)
    assert capped.total is None and capped.cap == 4


def test_a_page_past_the_end_is_empty_and_counted(db, make):
    ids = _workers(make, 3)
    stmt = select(Worker.id).where(Worker.id.in_(ids)).order_by(Worker.id)
    window = paginate(db, stmt, page=4, per_page=2)
    assert window.items == [] and not window.has_next and window.total == 3
