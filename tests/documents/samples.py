"""Sample documents shaped like the commune's real ones, shared by the document tests."""

from __future__ import annotations

from datetime import date

from registry.documents.model import (
    AdminDocument,
    Article,
    AttachedList,
    Column,
    Header,
    Heading,
    Paragraph,
    Signature,
    Table,
    attachment_subtitle,
)

GIVEN = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan",
         "Linh", "Mai", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]
FAMILY = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi"]
MIDDLE = ["Văn", "Thị", "Thị Thu", "Đức", "Minh", "Ngọc"]
ENTERPRISES = ["Công ty TNHH May Hoằng Hóa", "Công ty Cổ phần Giày Thanh Hóa",
               "Doanh nghiệp tư nhân Cơ khí Hợp Thành"]


def worker_rows(count: int) -> list[list[str]]:
    """Rows (name, birth year, enterprise, score) for count made-up workers."""
    rows = []
    for index in range(count):
        name = (f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index % len(MIDDLE)]} "
                f"{GIVEN[index % len(GIVEN)]}")
        rows.append([name, str(1975 + index % 30), ENTERPRISES[index % len(ENTERPRISES)],
                     f"{80 + index % 20},{index % 10}"])
    return rows


def decision(rows: int = 120, *, landscape: bool = False, numbered: str = "05") -> AdminDocument:
    """A recognition decision of the commune chair with its attached list of workers."""
    header = Header(
        issuing_body="ỦY BAN NHÂN DÂN\nXÃ HOẰNG HỢP",
        number=numbered,
        symbol="QĐ-UBND",
        place="Hoằng Hợp",
        date=date(2025, 2, 5),
    )
    columns = [Column("Họ và tên", 3), Column("Năm sinh", 1.2, "center"),
               Column("Đơn vị công tác", 4), Column("Tổng điểm", 1.2, "center")]
    if landscape:
        columns.append(Column("Ghi chú", 2))
    table_rows = [[*row, ""] if landscape else row for row in worker_rows(rows)]
    return AdminDocument(
        header=header,
        kind="QUYẾT ĐỊNH",
        subject="Về việc công nhận danh hiệu “Công dân học tập” năm 2024",
        authority="CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP",
        blocks=[
            Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
                      italic=True),
            Paragraph("Căn cứ Quyết định số 1268/QĐ-TTg ngày 19/10/2022 của Thủ tướng Chính phủ "
                      "phê duyệt Chương trình “Đẩy mạnh các hoạt động học tập suốt đời trong công "
                      "nhân lao động tại các doanh nghiệp đến năm 2030”;", italic=True),
            Paragraph("Theo đề nghị của Công chức Văn hóa - Xã hội.", italic=True),
            Paragraph("QUYẾT ĐỊNH:", bold=True, align="center"),
            Article(1, f"Công nhận danh hiệu “Công dân học tập” năm 2024 cho {rows} công nhân "
                       "lao động tại các doanh nghiệp trên địa bàn xã (có danh sách kèm theo)."),
            Article(2, "Quyết định này có hiệu lực kể từ ngày ký."),
            Article(3, "Văn phòng HĐND và UBND xã, Công chức Văn hóa - Xã hội, các doanh nghiệp "
                       "và các cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định "
                       "này./."),
        ],
        recipients=["Như Điều 3", "Liên đoàn Lao động tỉnh (b/c)", "Lưu: VT, VHXH"],
        signature=Signature("Lê Văn Phượng", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
        appendices=[AttachedList(
            title="DANH SÁCH CÔNG NHÂN LAO ĐỘNG ĐẠT DANH HIỆU “CÔNG DÂN HỌC TẬP” NĂM 2024",
            subtitle=attachment_subtitle("Quyết định", header, "Chủ tịch UBND xã Hoằng Hợp"),
            columns=columns,
            rows=table_rows,
            landscape=landscape,
            closing=f"Danh sách có {rows} người./.",
        )],
    )


def report() -> AdminDocument:
    """A commune report with headings, bullets, a table and a blank number and day."""
    return AdminDocument(
        header=Header(issuing_body="ỦY BAN NHÂN DÂN\nXÃ HOẰNG TRUNG", symbol="BC-UBND",
                      place="Hoằng Trung", year=2023,
                      parent_body="ỦY BAN NHÂN DÂN\nHUYỆN HOẰNG HÓA"),
        kind="BÁO CÁO",
        subject="Kết quả thực hiện Kế hoạch số 53/KH-UBND ngày 10/3/2023 của UBND huyện về "
                "“Đẩy mạnh các hoạt động học tập suốt đời trong CNLĐ tại các doanh nghiệp "
                "đến năm 2030”",
        blocks=[
            Paragraph("Thực hiện công văn số 3628/UBND-LĐLĐ ngày 08 tháng 12 năm 2023 của Ủy ban "
                      "nhân dân huyện Hoằng Hóa, UBND xã Hoằng Trung báo cáo kết quả thực hiện "
                      "như sau:"),
            Heading("I. CÔNG TÁC TRIỂN KHAI THỰC HIỆN"),
            Heading("1. Văn bản chỉ đạo", level=2),
            Paragraph("UBND xã phối hợp với Công đoàn xã xây dựng Kế hoạch số 107/KH-UBND ngày "
                      "11/4/2023 về đẩy mạnh các hoạt động học tập suốt đời trong CNLĐ."),
            Heading("2. Kinh phí thực hiện", level=2),
            Paragraph("- Năm 2023, UBND xã chi kinh phí cho tổ chức “Tuần lễ học tập suốt đời” "
                      "với số tiền 5.600.000 đồng (Năm triệu sáu trăm nghìn đồng)."),
            Table(columns=[Column("Chỉ tiêu", 4), Column("Kế hoạch", 1.3, "center"),
                           Column("Thực hiện", 1.3, "center")],
                  rows=[["Chính trị, pháp luật", "90%", "92,4%"],
                        ["Kỹ năng nghề nghiệp", "72%", "68,0%"],
                        ["Kỹ năng sống", "65%", "70,1%"]]),
            Heading("II. KIẾN NGHỊ, ĐỀ XUẤT"),
            Paragraph("- Đổi mới các hình thức học tập để nâng cao tay nghề, trình độ chuyên môn, "
                      "nghiệp vụ cho người lao động."),
            Paragraph("Trên đây là Báo cáo của UBND xã Hoằng Trung./."),
        ],
        recipients=["Liên đoàn Lao động huyện (b/c)", "TT. Đảng ủy, HĐND (b/c)", "Lưu: VT"],
        signature=Signature("Đỗ Hùng Sơn", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH"),
    )
