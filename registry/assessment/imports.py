"""Importing self-assessment scores from a spreadsheet: the "assessments" writer.

One row per worker: the CCCD, the ten scores and, unless the command gives `--year`, the year
assessed.  Through the import pipeline (registry.imports.services) on the web and with

    flask import assessments FILE --year 2025 [--enterprise MST] [--commit]

A row opens the worker's draft assessment of the year (under the year's active criteria set)
or updates the scores of a draft or returned one; an assessment already submitted, reviewed or
approved is never overwritten by a file (reviewers change scores with a reason, on the form or
the grid).  Each row goes through the same services as the form, so the same rules and
Vietnamese messages apply.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal

import click
from sqlalchemy import select, tuple_

from registry.assessment import services
from registry.assessment.models import Assessment, CriteriaSet
from registry.assessment.rules import ScoreError, format_decimal, validate_score
from registry.errors import DomainError
from registry.imports.cli import import_command
from registry.imports.records import Record
from registry.imports.services import Writer, register_writer
from registry.workers.models import Worker

#: The year given on the command line (--year), for files without a year column.
IMPORT_YEAR: ContextVar[int | None] = ContextVar("assessment_import_year", default=None)


class AssessmentWriter(Writer):
    """Scores of the ten indicators per worker, matched by CCCD."""

    tables = ("assessments", "assessment_scores")

    def __init__(self, run) -> None:
        super().__init__(run)
        self.sets: dict[int, CriteriaSet | None] = {}

    def problems(self) -> list[str]:
        if "year" not in self.run.mapped and IMPORT_YEAR.get() is None:
            return ["Tệp chưa có cột «Năm đánh giá»: hãy thêm cột này (hoặc dùng lệnh "
                    "flask import assessments … --year NĂM)."]
        if not services.can_edit(self.run.scope):
            return ["Tài khoản của bạn chỉ được xem."]
        return []

    def _set(self, year: int) -> CriteriaSet | None:
        if year not in self.sets:
            self.sets[year] = services.active_criteria_set(self.run.session, year)
        return self.sets[year]

    def _worker_filter(self):
        run = self.run
        condition = run.scope.current_workers()
        if run.enterprise is not None:
            condition = condition & (Worker.current_enterprise_id == run.enterprise.id)
        return condition

    def write(self, records: list[Record]) -> None:
        session = self.run.session
        default_year = IMPORT_YEAR.get()
        numbers = list({r.values["citizen_id"] for r in records})
        workers = {
            w.citizen_id: w for w in session.scalars(
                select(Worker).where(Worker.citizen_id.in_(numbers), self._worker_filter()))
        }
        keys = []
        for record in records:
            worker = workers.get(record.values["citizen_id"])
            year = record.values.get("year") or default_year
            if worker is not None and year:
                keys.append((worker.id, int(year)))
        existing = {}
        if keys:
            existing = {
                (a.worker_id, a.year): a for a in session.scalars(
                    select(Assessment).where(
                        tuple_(Assessment.worker_id, Assessment.year).in_(keys)))
            }
        for record in records:
            self._row(record, workers, existing, default_year)

    def _row(self, record: Record, workers, existing, default_year: int | None) -> None:
        run = self.run
        number = record.values["citizen_id"]
        year = record.values.get("year") or default_year
        if not year:
            run.reject(record, "Chưa ghi năm đánh giá.")
            return
        year = int(year)
        if run.seen((number, year), record):
            return
        worker = workers.get(number)
        if worker is None:
            run.reject(record, f"Không có người lao động số CCCD {number} đang làm việc "
                       "trong phạm vi của bạn.")
            return
        criteria_set = self._set(year)
        if criteria_set is None:
            run.reject(record, f"Chưa có bộ tiêu chí đang áp dụng cho năm {year}.")
            return
        assessment = existing.get((worker.id, year))
        if assessment is not None:
            criteria_set = assessment.criteria_set
            if assessment.status not in services.EDITABLE:
                run.reject(record, f"Phiếu năm {year} của {worker.full_name} đang ở bước "
                           f"«{assessment.status.label}»; không nhập đè từ tệp được.")
                return
        scores = record.values.get("scores") or []
        wanted: dict[int, Decimal | None] = {}
        problems = []
        for indicator in criteria_set.indicators:
            position = indicator.code - 1
            raw = scores[position] if position < len(scores) else None
            if raw is None:
                wanted[indicator.code] = None
                continue
            try:
                wanted[indicator.code] = validate_score(indicator.as_rule(), raw)
            except ScoreError as error:
                problems.append(f"{error}.")
        if problems:
            run.reject(record, " ".join(problems))
            return
        if assessment is None:
            run.created(record)
            if run.write:
                self._save(record, worker, year, None, wanted)
            return
        before = assessment.score_map()
        changed = [f"Chỉ số {code}" for code, value in wanted.items()
                   if before.get(code) != value]
        if not changed:
            run.unchanged(record)
            return
        label = f"{worker.full_name} (năm {year})"
        run.updated(record, label, changed)
        if run.write:
            self._save(record, worker, year, assessment, wanted)

    def _save(self, record, worker, year, assessment, wanted) -> None:
        run, session = self.run, self.run.session
        try:
            if assessment is None:
                assessment = services.create_assessment(session, run.scope, worker, year)
            notes = {s.indicator_code: s.evidence_note for s in assessment.scores}
            entries = {
                code: services.ScoreEntry(
                    "" if value is None else format_decimal(value), notes.get(code, ""))
                for code, value in wanted.items()
            }
            services.save_scores(session, run.scope, assessment, entries, None)
        except DomainError as error:
            run.reject(record, " ".join(error.messages))


register_writer("assessments", AssessmentWriter)


def _year_command() -> click.Command:
    """`flask import assessments`: the pipeline's command with a --year option."""
    command = import_command("assessments")
    callback = command.callback

    def with_year(*args, year: int | None = None, **kwargs):
        token = IMPORT_YEAR.set(year)
        try:
            return callback(*args, **kwargs)
        finally:
            IMPORT_YEAR.reset(token)

    command.callback = with_year
    command.params.append(click.Option(
        ["--year"], type=click.IntRange(services.FIRST_YEAR, 2100),
        help="Năm đánh giá, khi tệp không có cột «Năm đánh giá».",
    ))
    return command


ASSESSMENTS_COMMAND = _year_command()
