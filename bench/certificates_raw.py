"""Certificates per second and peak memory for a batch written into one PDF.

Run: python bench/certificates_raw.py [count] — prints pages/s, peak RSS and the file size, and the
ratio to a raw baseline measured in the same run: reportlab drawing the same page texts with no
forms, no QR code and no fitting (what a naive canvas loop costs).
"""

from __future__ import annotations

import io
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from registry.documents.certificate import CertificateData, write_certificates
from registry.documents.fonts import SERIF, SERIF_BOLD, register_fonts

FAMILY = ["Nguyễn", "Lê", "Trần", "Phạm", "Hoàng", "Đỗ", "Vũ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Thị Thu", "Đức", "Minh", "Ngọc", "Hữu", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Đức", "Giang", "Hà", "Hải", "Hương", "Khánh", "Lan",
         "Linh", "Mai", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Yến"]
ENTERPRISES = ["Công ty TNHH May Hoằng Hóa", "Công ty Cổ phần Giày Thanh Hóa",
               "Doanh nghiệp tư nhân Cơ khí Hợp Thành", "Công ty TNHH Điện tử Nghi Sơn"]


def items(count: int):
    """count certificates of one decision, made lazily."""
    for index in range(count):
        serial = f"CDHT-2025-{index + 1:07d}"
        yield CertificateData(
            issuer="ỦY BAN NHÂN DÂN XÃ HOẰNG HỢP",
            title="Công dân học tập năm 2025",
            full_name=f"{FAMILY[index % 10]} {MIDDLE[index % 8]} {GIVEN[index % 22]}",
            birth_year=str(1970 + index % 35),
            enterprise=ENTERPRISES[index % 4],
            decision="Đã đạt danh hiệu “Công dân học tập” năm 2025 theo Quyết định số "
                     "05/QĐ-UBND ngày 05/02/2025 của Chủ tịch UBND xã Hoằng Hợp",
            date_line="Hoằng Hợp, ngày 05 tháng 02 năm 2025",
            signer_title_lines=("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            signer_name="Lê Văn Phượng",
            serial=serial,
            verify_url=f"https://cdht.thanhhoa.vn/v/{serial}",
        )


def raw(count: int) -> float:
    """Seconds for the naive baseline: the same texts drawn directly on each page."""
    # Measured on at most 2,000 pages and scaled: it only sets the scale of the ratio.
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=landscape(A4), initialFontName=SERIF)
    started = time.perf_counter()
    for data in items(count):
        canvas.setFont(SERIF_BOLD, 14)
        for y, text in enumerate((data.issuer, data.title, data.full_name, data.enterprise,
                                  data.decision, data.date_line, data.signer_name, data.serial)):
            canvas.drawCentredString(420, 500 - 30 * y, text)
        canvas.showPage()
    canvas.save()
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    register_fonts()
    baseline = raw(min(count, 2000)) * count / min(count, 2000)
    out = io.BytesIO()
    started, cpu_started = time.perf_counter(), time.process_time()
    pages = write_certificates(items(count), out)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # CPU time shows the cost per page even when other processes share the two cores.
    print(f"{pages} pages in {elapsed:.2f} s ({cpu:.2f} s CPU): {pages / elapsed:.0f} pages/s "
          f"({pages / cpu:.0f} per CPU second); peak RSS {peak_mb:.0f} MB; "
          f"PDF {len(out.getvalue()) / 1e6:.1f} MB; ratio to raw baseline {elapsed / baseline:.2f}")


if __name__ == "__main__":
    main()
