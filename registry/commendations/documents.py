"""The commendation decision with its attached lists (PDF, DOCX) and the list as .xlsx."""

from __future__ import annotations

import io
from collections.abc import Sequence

import xlsxwriter

from registry.commendations.models import CommendationEntry, CommendationRound, EntryKind
from registry.documents.docx_layout import build_docx
from registry.documents.layout import build_pdf
from registry.documents.model import (
    AdminDocument,
    Article,
    AttachedList,
    Column,
    Header,
    Signature,
    attachment_subtitle,
)
from registry.documents.vn_format import money, money_in_words
from registry.text import split_full_name, vi_sorted


def _by_name(entries: Sequence[CommendationEntry], child: bool) -> list[CommendationEntry]:
    """Vietnamese list order: given name, family name, middle name."""
    def key(entry: CommendationEntry) -> tuple[str, str, str]:
        family, middle, given = split_full_name(entry.child_name) if child else (
            entry.worker.family_name, entry.worker.middle_name, entry.worker.given_name)
        return given, family, middle
    return vi_sorted(entries, key)


def _amount(entry: CommendationEntry) -> str:
    return money(entry.amount) if entry.amount else ""


def split(entries: Sequence[CommendationEntry]) -> tuple[list, list]:
    """Workers and children, each in list order."""
    workers = _by_name([e for e in entries if e.kind == EntryKind.WORKER], child=False)
    children = _by_name([e for e in entries if e.kind == EntryKind.CHILD], child=True)
    return workers, children


def total(entries: Sequence[CommendationEntry]) -> int:
    """The sum of the awards."""
    return sum(e.amount or 0 for e in entries)


def _closing(entries: Sequence[CommendationEntry], what: str) -> str:
    text = f"Danh sách có {len(entries):02d} {what}"
    amount = total(entries)
    if amount:
        text += f"; tổng số tiền thưởng: {money(amount)} ({money_in_words(amount)})"
    return text + "."


def round_document(round_: CommendationRound, entries: Sequence[CommendationEntry]
                   ) -> AdminDocument:
    """The decision of a round with the lists of workers and of children attached."""
    commune = round_.commune
    number, _, symbol = round_.decision_number.partition("/")
    header = Header(issuing_body=f"ỦY BAN NHÂN DÂN\n{commune.division_type.upper()} "
                                 f"{commune.short_name.upper()}",
                    symbol=symbol or "QĐ-UBND", place=commune.short_name, number=number,
                    date=round_.decision_date, year=round_.year)
    issuer = round_.issuing_body
    workers, children = split(entries)
    grand = total(entries)
    money_text = (f", tổng số tiền thưởng {money(grand)} ({money_in_words(grand)})"
                  if grand else "")
    appendices = []
    subtitle = attachment_subtitle("Quyết định", header, issuer)
    if workers:
        appendices.append(AttachedList(
            title=f"DANH SÁCH CÔNG NHÂN LAO ĐỘNG ĐƯỢC BIỂU DƯƠNG, KHEN THƯỞNG NĂM {round_.year}",
            subtitle=subtitle,
            columns=[Column("Họ và tên", 2), Column("Năm sinh", 0.8, "center"),
                     Column("Đơn vị công tác", 2.2), Column("Thành tích", 3),
                     Column("Số tiền", 1.2, "right")],
            rows=[[e.worker.full_name, e.worker.birth_year, e.enterprise.name, e.reason,
                   _amount(e)] for e in workers],
            landscape=True, closing=_closing(workers, "người")))
    if children:
        appendices.append(AttachedList(
            title=f"DANH SÁCH CON CÔNG NHÂN LAO ĐỘNG HIẾU HỌC ĐƯỢC BIỂU DƯƠNG, KHEN THƯỞNG NĂM "
                  f"{round_.year}",
            subtitle=subtitle,
            columns=[Column("Họ và tên", 1.8), Column("Năm sinh", 0.8, "center"),
                     Column("Con của (đơn vị công tác)", 2.4),
                     Column("Trường đỗ vào, thành tích", 2.6),
                     Column("Số tiền", 1.2, "right")],
            rows=[[e.child_name, e.child_birth_year, f"{e.worker.full_name} ({e.enterprise.name})",
                   e.achievement or e.reason, _amount(e)] for e in children],
            landscape=True, closing=_closing(children, "cháu")))
    articles = [
        Article(1, f"Biểu dương, khen thưởng {len(workers):02d} công nhân lao động và "
                   f"{len(children):02d} cháu là con công nhân lao động có thành tích trong học "
                   f"tập suốt đời năm {round_.year}{money_text} (có danh sách kèm theo)."),
        Article(2, "Kinh phí khen thưởng chi từ nguồn kinh phí hoạt động học tập suốt đời của "
                   "xã theo quy định."),
        Article(3, "Văn phòng HĐND và UBND, Công đoàn xã, các doanh nghiệp và những người có tên "
                   "tại Điều 1 chịu trách nhiệm thi hành Quyết định này."),
    ]
    signature = (Signature(round_.signer_name, round_.signer_title.upper() or "CHỦ TỊCH",
                           "" if (round_.signer_title or "").upper() == "CHỦ TỊCH"
                           else "KT. CHỦ TỊCH")
                 if round_.signer_name else None)
    return AdminDocument(
        header=header, kind="QUYẾT ĐỊNH",
        subject=f"Về việc {round_.title[:1].lower()}{round_.title[1:]}",
        authority=f"CHỦ TỊCH ỦY BAN NHÂN DÂN {commune.division_type.upper()} "
                  f"{commune.short_name.upper()}",
        blocks=articles, recipients=["Như Điều 3", "Lưu: VT"], signature=signature,
        appendices=appendices, title=f"{round_.title} năm {round_.year}",
    )


def round_file(round_: CommendationRound, entries: Sequence[CommendationEntry],
               fmt: str) -> bytes:
    """The round as "pdf", "docx" or "xlsx" bytes."""
    if fmt == "xlsx":
        return round_workbook(round_, entries)
    document = round_document(round_, entries)
    return build_pdf(document) if fmt == "pdf" else build_docx(document)


def round_workbook(round_: CommendationRound, entries: Sequence[CommendationEntry]) -> bytes:
    """Both lists on one sheet each, amounts as numbers, IDs as text."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    money_format = book.add_format({"num_format": "#,##0"})
    workers, children = split(entries)
    sheets = (
        ("Công nhân lao động", workers,
         ["STT", "Mã người lao động", "Họ và tên", "Năm sinh", "Đơn vị công tác", "Thành tích",
          "Số tiền (đồng)"],
         lambda e: [str(e.worker.id), e.worker.full_name, e.worker.birth_year,
                    e.enterprise.name, e.reason]),
        ("Con công nhân lao động", children,
         ["STT", "Họ và tên cháu", "Năm sinh", "Con của", "Mã người lao động", "Đơn vị công tác",
          "Trường đỗ vào, thành tích", "Số tiền (đồng)"],
         lambda e: [e.child_name, e.child_birth_year, e.worker.full_name, str(e.worker.id),
                    e.enterprise.name, e.achievement or e.reason]),
    )
    for name, rows, columns, values in sheets:
        sheet = book.add_worksheet(name)
        sheet.write(0, 0, f"{round_.title} năm {round_.year}", bold)
        for col, title in enumerate(columns):
            sheet.write(2, col, title, head)
            sheet.set_column(col, col, 28 if "tên" in title or "Đơn vị" in title else 14)
        line = 3
        for number, entry in enumerate(rows, start=1):
            sheet.write_number(line, 0, number)
            for col, value in enumerate(values(entry), start=1):
                if isinstance(value, str):
                    sheet.write_string(line, col, value)
                else:
                    sheet.write(line, col, value)
            if entry.amount is not None:
                sheet.write_number(line, len(columns) - 1, entry.amount, money_format)
            line += 1
        amount = total(rows)
        sheet.write(line, len(columns) - 2, "Tổng cộng", bold)
        sheet.write_number(line, len(columns) - 1, amount, money_format)
        sheet.write(line + 1, 0, money_in_words(amount) if amount else "")
    book.close()
    return output.getvalue()
