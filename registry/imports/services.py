"""Importing a spreadsheet: open and check it, propose the mapping, preview, commit.

One pass streams the chosen sheet through header detection (headers.py) and the cell
normalisers (records.py) in chunks of CHUNK rows; the kind's writer checks each chunk against
the registry with one lookup per chunk (existing CCCDs, activities, participations) and, when
writing, stores it with executemany-style statements. Memory stays flat whatever the file's
size: only the keys seen so far (to spot a row repeated in the file) and the row numbers of
rejected rows are kept.

A preview is the same pass without writing (inside a savepoint that is rolled back, so a
writer that reuses a flushing service leaves nothing behind). A commit writes inside a
savepoint too: by default (ImportMode.ALL_OR_NOTHING) a single rejected row rolls every
change back and only the import record remains, with its error file; with VALID_ONLY the
valid rows are kept. The caller commits once, so an import is one transaction: a crash or kill
midway leaves the database as it was.

Writers are pluggable. A writer is a class taking the Run and handling lists of Records::

    from registry.imports.services import Writer, register_writer

    class AssessmentWriter(Writer):
        def write(self, records):
            for record in records:
                ...                       # look up, check; self.run.session for queries
                self.run.reject(record, "Lý do bằng tiếng Việt.")   # or
                self.run.created(record)  # / updated(record, ["Chỉ số 3"]) / unchanged(record)
            if self.run.write:
                ...                       # bulk insert/update; audit with record_bulk()

    register_writer("assessments", AssessmentWriter)

The kind ("assessments") must be defined in kinds.py (fields, synonyms) and, for its own joins
of fields, in records.py; register at import time of a module the app always imports (e.g.
the feature's routes.py). Run.seen(key, record) rejects a row repeating an earlier one;
Run.scope, Run.enterprise and Run.today give the context; audit entries written through the
ORM or record_bulk() are linked to the import automatically.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import itertools
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from registry.audit.services import set_import
from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.imports.errors_file import write_errors_file
from registry.imports.headers import HeaderError, HeaderMatch, detect_header
from registry.imports.keys import FirstRows
from registry.imports.kinds import KINDS, get_kind
from registry.imports.models import ImportMode, ImportRecord, ImportStatus
from registry.imports.reader import SheetError, SheetInfo, Workbook, open_workbook
from registry.imports.records import Record, read_records

#: Rows checked and written together: one lookup per chunk, one executemany per table.
CHUNK = 2000
#: A commit storing at least this many rows refreshes the planner statistics of its tables.
ANALYZE_AFTER_ROWS = 1000
#: Rejected and updated rows kept in the import's report for the pages (the error file has all).
REPORT_SAMPLE = 200
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
SAMPLE_ROWS = 5

Progress = Callable[[int, int | None], None]


class ImportRefused(DomainError):
    """An upload or an import that cannot go on; the message is Vietnamese."""


def max_bytes() -> int:
    """The configured size limit of an uploaded spreadsheet."""
    return current_app.config.get("REGISTRY_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def upload_folder() -> Path:
    """Where uploads wait between the steps of an import (inside the instance folder)."""
    folder = Path(current_app.config.get(
        "REGISTRY_IMPORT_FOLDER", Path(current_app.instance_path) / "imports"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- the writers' interface -------------------------------------------------------------------


class Writer(ABC):
    """Checks and stores the records of one import kind; one instance per run."""

    #: The tables the writer fills: their planner statistics are refreshed after a big commit
    #: (see refresh_statistics).
    tables: tuple[str, ...] = ()

    def __init__(self, run: Run) -> None:
        self.run = run

    def problems(self) -> list[str]:
        """Reasons (Vietnamese) this import cannot run at all, e.g. a missing enterprise."""
        return []

    @abstractmethod
    def write(self, records: list[Record]) -> None:
        """Classify each record (created, updated, unchanged, rejected) and store if writing."""


WRITERS: dict[str, type[Writer]] = {}


def register_writer(kind: str, writer: type[Writer]) -> None:
    """Make a writer handle an import kind defined in registry.imports.kinds."""
    get_kind(kind)
    WRITERS[kind] = writer


def available_kinds() -> list[tuple[str, str]]:
    """(name, label) of the kinds that have a writer, in kinds.py order."""
    return [(name, kind.label) for name, kind in KINDS.items() if name in WRITERS]


@dataclass
class Outcome:
    """What a pass over the file found or did."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Row number → Vietnamese reason, for the error file.
    errors: dict[int, str] = field(default_factory=dict)
    rejected_sample: list[tuple[int, str]] = field(default_factory=list)
    updated_sample: list[tuple[int, str, list[str]]] = field(default_factory=list)
    #: Label of a changed field → how many rows changed it.
    fields: Counter = field(default_factory=Counter)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    header_row: int | None = None
    mapping: dict[str, int] = field(default_factory=dict)
    error_file: bytes | None = None
    written: bool = False
    kept: bool = False

    @property
    def rejected(self) -> int:
        """How many rows are rejected."""
        return len(self.errors)


@dataclass
class Run:
    """One pass over an import file: the context writers need and the outcome they fill."""

    session: Session
    scope: Scope
    kind: str
    enterprise: Enterprise | None
    today: dt.date
    write: bool
    min_age: int = 15
    outcome: Outcome = field(default_factory=Outcome)
    mapped: frozenset[str] = frozenset()
    _seen: FirstRows = field(default_factory=FirstRows)

    def reject(self, record: Record, message: str) -> None:
        """Refuse a row with a Vietnamese reason."""
        out = self.outcome
        if record.row in out.errors:
            out.errors[record.row] += " " + message
            return
        out.errors[record.row] = message
        if len(out.rejected_sample) < REPORT_SAMPLE:
            out.rejected_sample.append((record.row, message))

    def created(self, record: Record) -> None:
        """The row makes a new record."""
        self.outcome.created += 1

    def updated(self, record: Record, label: str, fields: list[str]) -> None:
        """The row changes fields (their Vietnamese labels) of the existing record label."""
        out = self.outcome
        out.updated += 1
        out.fields.update(fields)
        if len(out.updated_sample) < REPORT_SAMPLE:
            out.updated_sample.append((record.row, label, fields))

    def unchanged(self, record: Record) -> None:
        """The row matches an existing record exactly."""
        self.outcome.unchanged += 1

    def warn(self, record: Record, message: str) -> None:
        """A remark about a row that is still imported."""
        if len(self.outcome.warnings) < REPORT_SAMPLE:
            self.outcome.warnings.append((record.row, message))

    def seen(self, key: object, record: Record) -> bool:
        """Whether key was on an earlier row of the file; if so the row is rejected."""
        first = self._seen.first(key, record.row)
        if first == record.row:
            return False
        self.reject(record, f"Trùng với dòng {first} trong tệp.")
        return True


# --- the steps -------------------------------------------------------------------------------


@dataclass
class Upload:
    """A stored upload and what its content is."""

    path: Path
    sha256: str
    size: int
    format: str
    sheets: list[SheetInfo]
    notices: list[str]


def store_upload(stream: io.BufferedIOBase, file_name: str) -> Upload:
    """Save an uploaded file to the upload folder and check it opens as a spreadsheet.

    Raises ImportRefused (after removing the file) when it is refused.
    """
    folder = upload_folder()
    digest = hashlib.sha256()
    size = 0
    limit = max_bytes()
    target = folder / f"tmp-{utcnow():%Y%m%d%H%M%S%f}-{id(stream)}"
    with target.open("wb") as out:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise ImportRefused(
                    f"Tệp quá lớn; giới hạn là {limit // 1_000_000} MB. Hãy chia thành nhiều tệp "
                    "nhỏ hơn.")
            digest.update(chunk)
            out.write(chunk)
    sha = digest.hexdigest()
    final = folder / f"{sha[:16]}-{target.name[4:]}{Path(file_name).suffix.lower()[:6]}"
    target.rename(final)
    try:
        with open_workbook(final, max_bytes=limit) as book:
            return Upload(final, sha, size, book.format, book.sheets, list(book.notices))
    except SheetError as error:
        final.unlink(missing_ok=True)
        raise ImportRefused(error.message) from error


def new_import(
    session: Session, scope: Scope, user_id: int | None, actor: str, kind: str,
    enterprise: Enterprise | None, upload: Upload, file_name: str,
) -> ImportRecord:
    """Record an upload as an import waiting for its mapping to be confirmed."""
    check_target(scope, kind, enterprise)
    record = ImportRecord(
        kind=kind, user_id=user_id, actor=actor,
        enterprise_id=enterprise.id if enterprise else None,
        commune_id=enterprise.commune_id if enterprise else (
            scope.commune_id or scope.enterprise_commune_id),
        file_name=file_name[:255] or "tệp", sha256=upload.sha256, size=upload.size,
        file_format=upload.format, stored_path=str(upload.path),
        sheet_index=upload.sheets[0].index if upload.sheets else 0,
        sheet_name=next((s.name for s in upload.sheets if not s.hidden),
                        upload.sheets[0].name if upload.sheets else ""),
        report={"notices": upload.notices}, mapping={},
    )
    session.add(record)
    session.flush()
    return record


def check_target(scope: Scope, kind: str, enterprise: Enterprise | None) -> None:
    """Refuse an import the user may not run (read-only, another enterprise, no enterprise)."""
    if scope.read_only:
        raise ImportRefused("Tài khoản của bạn chỉ được xem, không nhập dữ liệu.")
    if kind not in WRITERS:
        raise ImportRefused(f"Không có loại dữ liệu nhập «{kind}».")
    own = scope.enterprise_id
    if scope.role == Role.ENTERPRISE and (enterprise is None or enterprise.id != own):
        raise ImportRefused("Cán bộ doanh nghiệp chỉ nhập dữ liệu vào doanh nghiệp của mình.",
                           enterprise_id="Hãy chọn doanh nghiệp của bạn.")
    if enterprise is not None and enterprise.archived_at is not None:
        raise ImportRefused(f"Doanh nghiệp {enterprise.name} đã lưu trữ.")


def find_enterprise(session: Session, scope: Scope, tax_code: str) -> Enterprise:
    """The enterprise in scope with this tax code, for the command line."""
    enterprise = session.scalar(
        select(Enterprise).where(Enterprise.tax_code == tax_code.strip(), scope.enterprises())
    )
    if enterprise is None:
        raise ImportRefused(f"Không có doanh nghiệp có mã số thuế {tax_code} trong phạm vi.")
    return enterprise


def open_upload(record: ImportRecord) -> Workbook:
    """Open an import's stored upload again."""
    path = Path(record.stored_path) if record.stored_path else None
    if path is None or not path.exists():
        raise ImportRefused("Tệp tải lên không còn được lưu; hãy tải lên lại.")
    try:
        return open_workbook(path, max_bytes=max_bytes())
    except SheetError as error:
        raise ImportRefused(error.message) from error


def match_header(book: Workbook, record: ImportRecord) -> HeaderMatch:
    """The header of the import's sheet, with the user's confirmed mapping applied."""
    try:
        sheet = book.sheet(record.sheet_index)
        match = detect_header(book.rows(sheet), record.kind, header_row=record.header_row)
        if record.mapping:
            overrides = {f.name: record.mapping.get(f.name) for f in get_kind(record.kind).fields}
            match = match.with_mapping(overrides)
    except SheetError as error:
        raise ImportRefused(error.message) from error
    return match


def sample_rows(book: Workbook, record: ImportRecord, match: HeaderMatch) -> list[list]:
    """The first data rows under the header, for the mapping page."""
    rows = []
    for row in book.rows(record.sheet_index):
        if row.number >= match.data_start and row.number not in match.skip_rows:
            rows.append(row.values)
            if len(rows) >= SAMPLE_ROWS:
                break
    return rows


def set_mapping(record: ImportRecord, sheet_index: int, header_row: int | None,
                mapping: dict[str, int | None]) -> HeaderMatch:
    """Store the sheet and mapping the user confirmed; refuses a mapping that lacks a field."""
    record.sheet_index = sheet_index
    record.header_row = header_row
    record.mapping = {k: v for k, v in mapping.items() if v is not None}
    with open_upload(record) as book:
        record.sheet_name = book.sheet(sheet_index).name
        try:
            match = match_header(book, record)
        except HeaderError as error:
            raise ImportRefused(error.message) from error
    if match.problems:
        raise ImportRefused(" ".join(match.problems))
    record.header_row = match.header_rows[0]
    record.mapping = dict(match.mapping)
    return match


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def estimate_rows(book: Workbook, sheet: int) -> int | None:
    """About how many rows a sheet has, for the progress bar (None if unknown)."""
    return book.row_estimate(sheet)


def run_import(
    session: Session, scope: Scope, record: ImportRecord, *, write: bool, today: dt.date,
    min_age: int = 15, progress: Progress | None = None, total: int | None = None,
    record_now: bool = True,
) -> Outcome:
    """One pass over the import's file: preview (write=False) or commit.

    Only flushes; the caller commits (also when the import was refused: the record and its
    error file are kept, the data changes are rolled back). A commit always records its
    outcome on the import; a preview does unless record_now is off: on SQLite a long read
    transaction cannot then write if another connection wrote meanwhile, so a background
    preview ends its read transaction first and records the outcome in a new one (see
    record_outcome).
    """
    writer_class = WRITERS[record.kind]
    enterprise = session.get(Enterprise, record.enterprise_id) if record.enterprise_id else None
    check_target(scope, record.kind, enterprise)
    with open_upload(record) as book:
        match = match_header(book, record)
        if match.problems:
            raise ImportRefused(" ".join(match.problems))
        run = Run(session, scope, record.kind, enterprise, today, write, min_age,
                  mapped=frozenset(match.mapping))
        outcome = run.outcome
        outcome.notices = list(book.notices)
        outcome.header_row, outcome.mapping = match.header_rows[0], dict(match.mapping)
        writer = writer_class(run)
        problems = writer.problems()
        if problems:
            raise ImportRefused(" ".join(problems))
        if total is None and progress is not None:  # a pass over the whole file
            total = estimate_rows(book, record.sheet_index)
        set_import(session, record.id)
        savepoint = session.begin_nested()
        try:
            with _frozen_heap():
                _pass(run, writer, book, match, record, progress, total)
        except BaseException:
            savepoint.rollback()
            set_import(session, None)
            raise
        outcome.written = write
        outcome.kept = write and (outcome.rejected == 0 or record.mode == ImportMode.VALID_ONLY)
        if outcome.kept:
            savepoint.commit()
            if outcome.created + outcome.updated >= ANALYZE_AFTER_ROWS:
                refresh_statistics(session, (*writer.tables, "audit_entries"))
        else:
            savepoint.rollback()
        set_import(session, None)
        if outcome.errors:
            outcome.error_file = _errors_file(book, record, match, outcome)
    if write or record_now:
        record_outcome(record, outcome)
        session.flush()
    return outcome


def refresh_statistics(session: Session, tables: Iterable[str]) -> None:
    """ANALYZE the tables on PostgreSQL, in the import's transaction.

    The planner goes by statistics autovacuum takes a while after a commit; until then a table
    just filled by an import looks empty, and the next import's per-chunk queries run nested
    loops over it (measured: 155 ms instead of 1 ms per chunk and activity after 20,000 workers
    were imported). ANALYZE samples a bounded number of rows, counts this transaction's own
    rows, and its figures take effect with the commit. SQLite plans from its indexes alone.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in dict.fromkeys(tables):
        session.execute(text(f'ANALYZE "{table}"'))


def record_outcome(record: ImportRecord, outcome: Outcome) -> None:
    """Store what a pass found or did on the import record."""
    record.header_row, record.mapping = outcome.header_row, outcome.mapping
    record.error_file = outcome.error_file
    _finish(record, outcome, outcome.written, outcome.kept)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep the objects that exist before a pass out of the garbage collector's full scans.

    A pass allocates millions of short-lived objects, which set off full collections; each one
    walks every object of the process (the app, SQLAlchemy, ICU…), a quarter of an import's
    time when measured. Frozen objects are still freed normally once unfrozen.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _pass(run: Run, writer: Writer, book: Workbook, match: HeaderMatch, record: ImportRecord,
          progress: Progress | None, total: int | None) -> Outcome:
    outcome = run.outcome
    records = read_records(book.rows(record.sheet_index), match, today=run.today)
    for chunk in _chunks(records, CHUNK):
        valid = []
        for item in chunk:
            if item.errors:
                run.reject(item, item.error_text())
            else:
                valid.append(item)
                for warning in item.warnings:
                    run.warn(item, warning)
        outcome.rows += len(chunk)
        if valid:
            writer.write(valid)
        if progress is not None:
            progress(outcome.rows, total)
    return outcome


def _errors_file(book: Workbook, record: ImportRecord, match: HeaderMatch,
                 outcome: Outcome) -> bytes:
    kind = get_kind(record.kind)
    text_columns = [c for name, c in match.mapping.items() if kind.field(name).as_text]
    output = io.BytesIO()
    write_errors_file(output, match.header_values, book.rows(record.sheet_index),
                      outcome.errors, text_columns=text_columns)
    return output.getvalue()


def _finish(record: ImportRecord, outcome: Outcome, write: bool, kept: bool) -> None:
    record.rows_read = outcome.rows
    record.created_count, record.updated_count = outcome.created, outcome.updated
    record.unchanged_count, record.rejected_count = outcome.unchanged, outcome.rejected
    record.report = {
        "notices": outcome.notices,
        "rejected": [list(item) for item in outcome.rejected_sample],
        "updated": [list(item) for item in outcome.updated_sample],
        "fields": dict(outcome.fields.most_common()),
        "warnings": [list(item) for item in outcome.warnings],
    }
    if not write:
        record.status = ImportStatus.PREVIEWED
        record.message = ""
        return
    record.finished_at = utcnow()
    if kept:
        record.status = ImportStatus.DONE
        record.message = summary(outcome, written=True)
    else:
        record.status = ImportStatus.REFUSED
        record.created_count = record.updated_count = 0
        record.message = (
            f"Không ghi dữ liệu nào: có {outcome.rejected} dòng lỗi và bạn chọn «Tất cả hoặc "
            "không gì cả». Hãy tải tệp các dòng lỗi, sửa rồi tải lên lại, hoặc chọn «Chỉ nhập "
            "các dòng hợp lệ»."
        )
    release_upload(record)


def fail(record: ImportRecord, message: str) -> None:
    """Mark an import as failed with a Vietnamese reason (its data changes were rolled back)."""
    record.status = ImportStatus.FAILED
    record.message = message
    record.finished_at = utcnow()
    release_upload(record)


def release_upload(record: ImportRecord) -> None:
    """Delete the stored upload once the import is over (it holds personal data).

    Only files in the upload folder are deleted; a file given to the command stays.
    """
    if record.stored_path:
        path = Path(record.stored_path)
        if path.parent.resolve() == upload_folder().resolve():
            path.unlink(missing_ok=True)
        record.stored_path = ""


def summary(outcome: Outcome, written: bool) -> str:
    """The counts in one Vietnamese sentence."""
    verbs = ("Đã thêm", "đã cập nhật") if written else ("Sẽ thêm", "sẽ cập nhật")
    text = (f"{verbs[0]} {outcome.created}, {verbs[1]} {outcome.updated}, không đổi "
            f"{outcome.unchanged}, bị từ chối {outcome.rejected} dòng (trong {outcome.rows} dòng).")
    if outcome.fields:
        text += " Trường thay đổi: " + ", ".join(
            f"{label} ({count})" for label, count in outcome.fields.most_common()) + "."
    return text


def summary_of(record: ImportRecord) -> str:
    """The counts of an import record in one Vietnamese sentence."""
    outcome = Outcome(rows=record.rows_read, created=record.created_count,
                      updated=record.updated_count, unchanged=record.unchanged_count,
                      fields=Counter(record.report.get("fields", {})))
    outcome.errors = dict.fromkeys(range(record.rejected_count), "")
    return summary(outcome, written=record.status == ImportStatus.DONE)


def imports_query(scope: Scope):
    """The imports a user may see, newest first."""
    stmt = select(ImportRecord)
    match scope.role:
        case Role.ADMIN:
            pass
        case Role.ENTERPRISE:
            stmt = stmt.where(ImportRecord.enterprise_id == scope.enterprise_id)
        case Role.COMMUNE:
            stmt = stmt.where(ImportRecord.commune_id == scope.commune_id)
        case _:
            stmt = stmt.where(ImportRecord.enterprise_id.in_(scope.enterprise_ids()))
    return stmt.order_by(ImportRecord.created_at.desc(), ImportRecord.id.desc())
