"""Benchmark: streaming big uploads through reader + header detection + cell normalisation.

Generates a 1,000,000-row CSV and a 100,000-row .xlsx of workers in a temporary folder, then
measures, each in a fresh child process so peak RSS (resource.getrusage) belongs to one run
(on Linux a child starts from its parent's peak, so the parent does nothing heavy itself):

    csv raw          the csv module alone
    csv pipeline     open_workbook + detect_header + read_records
    xlsx raw         python-calamine alone (CalamineWorkbook + iter_rows)
    xlsx rows        the registry's streaming .xlsx reader alone (no normalisation)
    xlsx pipeline    open_workbook + detect_header + read_records

and prints rows/s and peak RSS of each pipeline next to its raw baseline, with the ratios.
Run: python bench/read_sheet.py [--csv-rows N] [--xlsx-rows N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from registry.imports.headers import detect_header  # noqa: E402
from registry.imports.reader import open_workbook  # noqa: E402
from registry.imports.records import read_records  # noqa: E402
from registry.workers.cccd import FEMALE, MALE, make_citizen_id  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Minh", "Ngọc", "Hữu", "Thị Hồng"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Nam", "Phương", "Yến"]
HEADER = ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", "Số điện thoại",
          "Đơn vị", "Đoàn viên", "Ngày vào làm"]
TITLE = ["DANH SÁCH CÔNG NHÂN LAO ĐỘNG"]
LIMIT = 2_000_000_000


def worker(i: int, rng: random.Random) -> list:
    """One worker row with the mix of forms real sheets hold."""
    sex = MALE if rng.random() < 0.5 else FEMALE
    year = rng.randint(1970, 2004)
    birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
    return [
        i,
        f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        make_citizen_id("038", year, sex, i % 1_000_000),
        birth.strftime("%d/%m/%Y") if i % 3 else str(year),
        "Nam" if sex == MALE else "Nữ",
        f"09{rng.randint(0, 99_999_999):08d}",
        "Công ty TNHH May Hoằng Hóa",
        "x" if i % 2 else "",
        f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2010, 2024)}",
    ]


def make_csv(path: Path, rows: int) -> None:
    """A UTF-8 CSV with a title line, the header and the rows."""
    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(TITLE)
        out.writerow(HEADER)
        for i in range(1, rows + 1):
            out.writerow(worker(i, rng))


def make_xlsx(path: Path, rows: int) -> None:
    """An .xlsx with shared strings (as Excel writes), CCCD as numbers in every third row."""
    rng = random.Random(2)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Danh sách")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, TITLE)
    sheet.write_row(2, 0, HEADER)
    for i in range(1, rows + 1):
        row = worker(i, rng)
        if i % 3 == 0:
            row[2] = int(row[2])
        sheet.write_row(i + 2, 0, row)
        if i % 5 == 0:
            day, month, year = (int(p) for p in row[8].split("/"))
            sheet.write_datetime(i + 2, 8, dt.datetime(year, month, day), date_format)
    book.close()


def measure(task: str, path: str) -> dict:
    """Run one task in this process and return rows, seconds and peak RSS."""
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    began = time.perf_counter()
    rows = errors = 0
    if task == "csv-raw":
        with open(path, newline="", encoding="utf-8") as handle:
            for _ in csv.reader(handle):
                rows += 1
    elif task == "xlsx-raw":
        book = CalamineWorkbook.from_path(path)
        for _ in book.get_sheet_by_index(0).iter_rows():
            rows += 1
    elif task == "xlsx-rows":
        with open_workbook(path, max_bytes=LIMIT) as book:
            for _ in book.rows():
                rows += 1
    else:
        with open_workbook(path, max_bytes=LIMIT) as book:
            match = detect_header(book.rows(), "workers")
            for record in read_records(book.rows(), match):
                rows += 1
                errors += not record.ok
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"task": task, "rows": rows, "errors": errors, "seconds": seconds,
            "peak_mb": peak / 1024, "start_mb": start_rss / 1024}


def child(task: str, path: Path) -> dict:
    """Measure a task in a fresh interpreter; its peak RSS starts from this small parent's."""
    output = subprocess.run(
        [sys.executable, __file__, "--measure", task, str(path)],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(output)


def line(label: str, result: dict) -> str:
    """One printed result."""
    rate = result["rows"] / result["seconds"]
    return (f"  {label:<16} {result['rows']:>9,} rows {result['seconds']:7.2f} s "
            f"{rate:>10,.0f} rows/s  peak RSS {result['peak_mb']:7.1f} MB "
            f"(+{result['peak_mb'] - result['start_mb']:.1f} MB over start)")


def ratio(slow: dict, fast: dict) -> str:
    """How the pipeline compares with its raw baseline."""
    speed = (slow["rows"] / slow["seconds"]) / (fast["rows"] / fast["seconds"])
    memory = slow["peak_mb"] / fast["peak_mb"]
    return f"  ratio pipeline/raw: speed {speed:.2f}x, peak RSS {memory:.2f}x"


def main() -> None:
    """Generate the files, measure every task in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--measure", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("CSV", "XLSX"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    if args.generate:
        make_csv(Path(args.generate[0]), args.csv_rows)
        make_xlsx(Path(args.generate[1]), args.xlsx_rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        csv_path, xlsx_path = Path(folder) / "workers.csv", Path(folder) / "workers.xlsx"
        began = time.perf_counter()
        # Generated in a child too: Linux children inherit the parent's peak RSS as their own
        # starting ru_maxrss, so the parent must stay small for the children's peaks to count.
        subprocess.run(
            [sys.executable, __file__, "--generate", str(csv_path), str(xlsx_path),
             "--csv-rows", str(args.csv_rows), "--xlsx-rows", str(args.xlsx_rows)],
            check=True,
        )
        print(f"generated in {time.perf_counter() - began:.1f} s: "
              f"CSV {csv_path.stat().st_size / 1e6:.1f} MB ({args.csv_rows:,} rows), "
              f"xlsx {xlsx_path.stat().st_size / 1e6:.1f} MB ({args.xlsx_rows:,} rows)")
        csv_raw, csv_pipe = child("csv-raw", csv_path), child("csv-pipeline", csv_path)
        print("CSV")
        print(line("csv module", csv_raw))
        print(line("pipeline", csv_pipe))
        print(ratio(csv_pipe, csv_raw))
        xlsx_raw = child("xlsx-raw", xlsx_path)
        xlsx_rows = child("xlsx-rows", xlsx_path)
        xlsx_pipe = child("xlsx-pipeline", xlsx_path)
        print("XLSX")
        print(line("calamine", xlsx_raw))
        print(line("reader only", xlsx_rows))
        print(line("pipeline", xlsx_pipe))
        print(ratio(xlsx_pipe, xlsx_raw))
        print(f"records with errors: CSV {csv_pipe['errors']:,}, xlsx {xlsx_pipe['errors']:,}")


if __name__ == "__main__":
    main()
