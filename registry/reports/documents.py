"""The periodic report (báo cáo) as an AdminDocument in the section structure of the communes'
reports, built by registry.documents into PDF and DOCX."""

from __future__ import annotations

from datetime import date

from registry.documents.docx_layout import build_docx
from registry.documents.layout import build_pdf
from registry.documents.model import (
    AdminDocument,
    Column,
    Figure,
    Header,
    Heading,
    Paragraph,
    Signature,
    Table,
)
from registry.documents.vn_format import date_prose, date_table, money, money_in_words, number
from registry.plans import charts
from registry.plans.models import Indicator
from registry.reports.models import Channel
from registry.reports.services import ReportData, province_label, province_short_name

PROGRAMME = ("“Đẩy mạnh các hoạt động học tập suốt đời trong công nhân lao động tại các doanh "
             "nghiệp đến năm 2030”")


def _two(n: int) -> str:
    """Counts below ten with a leading zero, as the reports write them ("05 tin, bài")."""
    return f"{n:02d}"


def communication_sentence(counts: dict[Channel, int], radio: str = "đài truyền thanh xã"
                           ) -> str:
    """ "đài truyền thanh xã: 05 tin, bài; fb, zalo: 8 lượt; trang thông tin điện tử: 01 bài"."""
    parts = []
    if counts.get(Channel.RADIO):
        parts.append(f"{radio}: {_two(counts[Channel.RADIO])} tin, bài")
    social = counts.get(Channel.FACEBOOK, 0) + counts.get(Channel.ZALO, 0)
    if social:
        parts.append(f"fb, zalo: {social} lượt")
    if counts.get(Channel.WEBSITE):
        parts.append(f"trang thông tin điện tử: {_two(counts[Channel.WEBSITE])} bài")
    if counts.get(Channel.OTHER):
        parts.append(f"hình thức khác: {_two(counts[Channel.OTHER])} lượt")
    return "; ".join(parts)


def _lines(text: str) -> list[Paragraph]:
    """The officer's text, one paragraph per non-empty line."""
    return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]


def _percent(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + "%"


def _where(data: ReportData, commune) -> str:
    """ "Xã Hoằng Hóa: " before a line of a province's report, nothing in a commune's."""
    return f"{commune.name}: " if data.is_province else ""


def scope_sentence(data: ReportData) -> str:
    """Which unit the report covers, and for a province which communes its figures sum."""
    if not data.is_province:
        return f"Phạm vi báo cáo: {data.unit_label}."
    if not data.communes:
        return (f"Phạm vi báo cáo: {data.unit_label}; chưa có xã, phường nào của tỉnh sử dụng "
                "Sổ học tập suốt đời.")
    names = ", ".join(c.name for c in data.communes)
    return (f"Phạm vi báo cáo: {data.unit_label}, tổng hợp số liệu của {_two(len(data.communes))}"
            f" xã, phường sử dụng Sổ học tập suốt đời: {names}.")


def _header(data: ReportData, report_date: date | None) -> Header:
    if data.commune is not None:
        commune = data.commune
        return Header(issuing_body=f"ỦY BAN NHÂN DÂN\n{commune.division_type.upper()} "
                                   f"{commune.short_name.upper()}",
                      symbol="BC-UBND", place=commune.short_name, date=report_date,
                      year=data.end.year)
    return Header(issuing_body=f"LIÊN ĐOÀN LAO ĐỘNG\n{province_label(data.province).upper()}",
                  parent_body="TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM", symbol="BC-LĐLĐ",
                  place=province_short_name(data.province), date=report_date,
                  year=data.end.year)


def commune_table(data: ReportData) -> Table:
    """A province's report: the five rates of each served commune."""
    rows = [[line.commune.name, number(line.counts.workers),
             *[_percent(line.counts.rate(i)) for i in Indicator]] for line in data.by_commune]
    return Table(columns=[Column("Xã, phường", 2.4), Column("Tổng số CNLĐ", 1.1, "right"),
                          *[Column(f"{i.value})", 0.9, "right") for i in Indicator]],
                 rows=rows, font_size=10.5)


def rates_chart(data: ReportData) -> charts.Chart:
    """The chart of the report's section II (the same as the dashboard's)."""
    label = f"Chỉ tiêu năm {data.milestone}" if data.milestone else "Chỉ tiêu"
    return charts.rates_chart([i.value for i in Indicator], [s.rate for s in data.standings],
                              [s.target for s in data.standings],
                              f"Tỷ lệ năm {data.year} so với chỉ tiêu", label)


def report_document(data: ReportData, report_date: date | None = None) -> AdminDocument:
    """The whole report."""
    issuer = data.issuer
    plan_ref = data.plan.reference if data.plan else f"Chương trình {PROGRAMME}"
    blocks: list = [Paragraph(line) for line in data.texts["basis"].splitlines() if line.strip()]
    blocks.append(Paragraph(f"Kỳ báo cáo: từ {date_prose(data.start)} đến {date_prose(data.end)}.",
                            italic=True))
    blocks.append(Paragraph(scope_sentence(data), italic=True))
    if data.is_empty:
        blocks.append(Paragraph(
            "Trong kỳ báo cáo chưa có số liệu nào được ghi nhận trên Sổ học tập suốt đời; các "
            "số liệu trong báo cáo bằng 0.", italic=True))

    blocks.append(Heading("I. Công tác triển khai thực hiện", 1))
    blocks.append(Heading("1. Văn bản chỉ đạo", 3))
    if data.directives:
        blocks += [Paragraph(f"- {_where(data, d.commune)}{d.title} (số {d.number} ngày "
                             f"{date_table(d.issued_on)}).") for d in data.directives]
    else:
        blocks.append(Paragraph("- Trong kỳ các xã, phường chưa ghi nhận văn bản chỉ đạo mới."
                                if data.is_province
                                else "- Trong kỳ chưa ban hành văn bản chỉ đạo mới."))

    blocks.append(Heading("2. Công tác thông tin tuyên truyền", 3))
    radio = "đài truyền thanh các xã, phường" if data.is_province else "đài truyền thanh xã"
    sentence = communication_sentence(data.communication, radio)
    blocks.append(Paragraph(
        "- Tăng cường công tác thông tin tuyên truyền, phổ biến để nâng cao nhận thức, trách "
        "nhiệm của các cấp, các ngành, người sử dụng lao động và công nhân lao động về học tập "
        f"suốt đời trên {radio}, các buổi sinh hoạt, mạng xã hội và trang thông tin "
        "điện tử. " + (f"Cụ thể, {sentence}." if sentence
                        else "Trong kỳ chưa ghi nhận tin, bài nào.")))
    for event in data.events:
        when = date_table(event.start_date)
        if event.end_date != event.start_date:
            when = f"{when} – {date_table(event.end_date)}"
        blocks.append(Paragraph(f"- {_where(data, event.commune)}Tổ chức “{event.title}” "
                                f"({when})."))
    blocks += _lines(data.texts["communication"])

    blocks.append(Heading("3. Triển khai các biện pháp hỗ trợ công nhân lao động được học tập "
                          "thường xuyên nhằm nâng cao chất lượng và hiệu quả học tập suốt đời", 3))
    blocks += _lines(data.texts["support"])

    blocks.append(Heading("4. Công tác biểu dương khen thưởng", 3))
    if data.commended_workers or data.commended_children:
        text = (f"Biểu dương, khen thưởng các gương công nhân lao động và con công nhân lao động "
                f"hiếu học. Trong kỳ, biểu dương {_two(data.commended_workers)} công nhân và "
                f"{_two(data.commended_children)} cháu là con công nhân lao động")
        if data.commendation_total:
            text += f", tổng số tiền thưởng {money(data.commendation_total)}"
        blocks.append(Paragraph(text + "."))
    else:
        blocks.append(Paragraph("Trong kỳ chưa có danh sách biểu dương, khen thưởng nào được "
                                "phê duyệt."))

    blocks.append(Heading("5. Tổ chức các phong trào thi đua, cuộc vận động, các hoạt động hỗ "
                          "trợ thúc đẩy học tập suốt đời trong công nhân lao động", 3))
    for contest in data.competitions:
        where = f"{contest.commune}: " if contest.commune else ""
        text = (f"- {where}{contest.title} ({date_table(contest.start)}): "
                f"{number(contest.participants)} người tham gia")
        if contest.winners:
            text += "; đạt giải: " + ", ".join(f"{name} ({result})"
                                              for name, result in contest.winners)
        blocks.append(Paragraph(text + "."))
    blocks += _lines(data.texts["campaigns"])

    blocks.append(Heading("6. Tăng cường phối hợp giữa các cấp, các ngành tổ chức học tập suốt "
                          "đời cho công nhân lao động", 3))
    blocks += _lines(data.texts["coordination"])

    blocks.append(Heading("7. Kinh phí thực hiện", 3))
    if data.is_province:
        blocks += [Paragraph(f"- {line.commune.name}: {money(line.spending)}.")
                   for line in data.by_commune if line.spending]
    else:
        for item in data.spending_items:
            who = item.enterprise.name if item.enterprise else item.source.label
            blocks.append(Paragraph(f"- Ngày {date_table(item.spent_on)}, {who}: "
                                    f"{item.purpose} với số tiền {money(item.amount)}."))
    if data.spending_items:
        parts = "; ".join(f"{source.label.lower()} {money(amount)}"
                          for source, amount in data.spending.items() if amount)
        blocks.append(Paragraph(
            f"- Tổng kinh phí trong kỳ: {money(data.spending_total)} "
            f"({money_in_words(data.spending_total)}), trong đó: {parts}."))
    else:
        blocks.append(Paragraph("- Trong kỳ chưa ghi nhận khoản kinh phí nào: 0 đồng."))

    blocks.append(Heading("II. Kết quả đạt được; tồn tại, hạn chế", 1))
    blocks.append(Heading("1. Kết quả đạt được", 2))
    target_text = (f"so với chỉ tiêu của {plan_ref} đến năm {data.milestone}"
                   if data.plan and data.milestone else "(chưa có kế hoạch đặt chỉ tiêu)")
    workers = data.standings[0].workers if data.standings else 0
    blocks.append(Paragraph(
        f"Năm {data.year}, trên địa bàn có {number(workers)} công nhân lao động làm việc tại "
        f"các doanh nghiệp; kết quả thực hiện các chỉ tiêu {target_text} như sau:"))
    rows = [[f"{s.indicator.value}) {s.indicator.label}", number(s.reached), number(s.workers),
             _percent(s.rate), _percent(s.target), s.status_label] for s in data.standings]
    blocks.append(Table(
        columns=[Column("Chỉ tiêu", 3.2), Column("Số người đạt", 1, "right"),
                 Column("Tổng số CNLĐ", 1, "right"), Column("Tỷ lệ", 1, "right"),
                 Column("Chỉ tiêu", 1, "right"), Column("Đánh giá", 1.3, "center")],
        rows=rows, font_size=11))
    chart = rates_chart(data)
    blocks.append(Figure(width_mm=150, drawing=charts.to_drawing(chart),
                         image=charts.to_png(chart), caption=chart.title))
    if len(data.trend) > 1:
        years = sorted(data.trend)
        trend = charts.indicator_trend(years, data.trend,
                                       f"Tỷ lệ theo năm, {data.unit_label}")
        blocks.append(Figure(width_mm=150, drawing=charts.to_drawing(trend),
                             image=charts.to_png(trend), caption=trend.title))
    if data.by_commune:
        blocks.append(Paragraph(
            f"Tỷ lệ của từng xã, phường năm {data.year} (một công nhân lao động chuyển doanh "
            "nghiệp giữa hai xã được tính ở cả hai xã, một lần cho toàn tỉnh):"))
        blocks.append(commune_table(data))
    blocks += _lines(data.texts["achievements"])
    blocks.append(Heading("2. Tồn tại, hạn chế", 2))
    blocks += _lines(data.texts["shortcomings"])
    blocks.append(Heading("III. Kiến nghị, đề xuất", 1))
    blocks += _lines(data.texts["proposals"])
    blocks.append(Paragraph(f"Trên đây là Báo cáo của {issuer} về kết quả thực hiện {plan_ref} "
                            f"về {PROGRAMME}."))

    subject = (f"Kết quả thực hiện {plan_ref} về {PROGRAMME}" if data.plan
               else f"Kết quả thực hiện Chương trình {PROGRAMME} năm {data.year}")
    signature = None
    if data.texts["signer_title"].strip():
        signature = Signature(data.texts["signer_name"].strip(),
                              data.texts["signer_title"].strip().upper(),
                              data.texts["signer_authority"].strip().upper())
    return AdminDocument(
        header=_header(data, report_date),
        kind="BÁO CÁO",
        subject=subject,
        blocks=blocks,
        recipients=[line for line in data.texts["recipients"].splitlines() if line.strip()],
        signature=signature,
        title=f"Báo cáo kết quả học tập suốt đời CNLĐ {data.unit_label} {date_table(data.start)}–"
              f"{date_table(data.end)}",
    )


def report_file(data: ReportData, fmt: str, report_date: date | None = None) -> bytes:
    """The report as "pdf" or "docx" bytes."""
    document = report_document(data, report_date)
    if fmt == "pdf":
        return build_pdf(document)
    if fmt == "docx":
        return build_docx(document)
    raise ValueError(f"unknown report format {fmt!r}")

