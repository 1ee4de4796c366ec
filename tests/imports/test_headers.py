"""Header detection: finding the header under titles, matching synonyms, grouped headers."""

from __future__ import annotations

import io

import pytest

from registry.imports.headers import HeaderError, detect_header, guess_kind, score_label
from registry.imports.kinds import KINDS
from registry.imports.reader import Row, open_workbook
from tests.imports.builders import xlsx_bytes


def rows(*lines: list) -> list[Row]:
    """Rows numbered from 1, skipping empty lines as the reader does."""
    return [Row(i, list(line)) for i, line in enumerate(lines, 1) if line]


@pytest.mark.parametrize("kind, field, header", [
    ("workers", "full_name", "Họ và tên"),
    ("workers", "full_name", "Họ tên"),
    ("workers", "full_name", "HO TEN"),
    ("workers", "full_name", "Họ, tên"),
    ("workers", "full_name", "  HỌ VÀ\nTÊN  "),
    ("workers", "full_name", "Họ và tên người lao động"),
    ("workers", "family_name", "Họ"),
    ("workers", "middle_name", "Tên đệm"),
    ("workers", "given_name", "Tên"),
    ("workers", "citizen_id", "Số CCCD"),
    ("workers", "citizen_id", "CCCD/CMND"),
    ("workers", "citizen_id", "Số định danh"),
    ("workers", "citizen_id", "Số định danh cá nhân"),
    ("workers", "citizen_id", "CMND"),
    ("workers", "citizen_id", "so cccd"),
    ("workers", "citizen_id", "Số CCCD (*)"),
    ("workers", "birth_date", "Ngày sinh"),
    ("workers", "birth_date", "Năm sinh"),
    ("workers", "birth_date", "Ngày tháng năm sinh"),
    ("workers", "birth_date", "Ngày sinh (dd/mm/yyyy)"),
    ("workers", "sex", "Giới tính"),
    ("workers", "sex", "Nam/Nữ"),
    ("workers", "sex_male", "Nam"),
    ("workers", "sex_female", "Nữ"),
    ("workers", "enterprise", "Đơn vị"),
    ("workers", "enterprise", "Doanh nghiệp"),
    ("workers", "enterprise", "Tên doanh nghiệp"),
    ("workers", "tax_code", "Mã số thuế"),
    ("workers", "phone", "Số điện thoại"),
    ("workers", "phone", "SĐT"),
    ("workers", "phone", "Điện thoại"),
    ("workers", "union_member", "Đoàn viên"),
    ("workers", "union_member", "Đoàn viên công đoàn"),
    ("workers", "start_date", "Ngày vào làm"),
    ("participations", "activity_code", "Mã hoạt động"),
    ("participations", "activity_title", "Tên hoạt động"),
    ("participations", "attended_on", "Ngày tham gia"),
    ("participations", "hours", "Số giờ"),
    ("participations", "completed", "Hoàn thành"),
    ("participations", "completed", "Kết quả"),
    ("activities", "title", "Tên hoạt động"),
    ("activities", "area", "Lĩnh vực"),
    ("activities", "form", "Hình thức"),
    ("activities", "organiser", "Đơn vị tổ chức"),
    ("activities", "start_date", "Ngày bắt đầu"),
    ("activities", "end_date", "Ngày kết thúc"),
    ("activities", "hours", "Số giờ"),
    ("assessments", "score_1", "Chỉ số 1"),
    ("assessments", "score_10", "Chỉ số 10"),
    ("assessments", "score_3", "TC3"),
    ("assessments", "score_3", "chi so 3"),
    ("assessments", "score_2", "Chỉ số 2: Có kế hoạch học tập"),
])
def test_header_synonyms_match_their_field(kind, field, header):
    """Each listed header variant scores highest for its field."""
    scores = score_label(kind, header)
    assert scores, f"{header!r} matched nothing"
    assert max(scores, key=scores.get) == field


def test_year_with_diacritics_is_not_male():
    """"Năm" (year) is not read as "Nam" (male) when written with its diacritics."""
    scores = score_label("workers", "Năm")
    assert max(scores, key=scores.get) == "birth_date"


def test_chi_so_1_does_not_match_chi_so_10():
    """"Chỉ số 10" does not count as a match for indicator 1."""
    assert "score_1" not in score_label("assessments", "Chỉ số 10")


def test_header_found_under_title_unit_and_blank_rows():
    """A title, the unit's name, merged cells and blank rows above the header are skipped."""
    data = xlsx_bytes([
        ["CÔNG TY TNHH MAY HOẰNG HÓA", None, None, None],
        ["DANH SÁCH NGƯỜI LAO ĐỘNG THAM GIA HỌC TẬP NĂM 2025", None, None, None],
        [],
        ["STT", "Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"],
        [1, "Nguyễn Văn An", "038090000001", "15/03/1990", "Nam"],
    ], merges=("A1:E1", "A2:E2"))
    with open_workbook(io.BytesIO(data), max_bytes=10**7) as book:
        match = detect_header(book.rows(), "workers")
    assert match.header_rows == (4,)
    assert match.data_start == 5
    assert match.mapping == {"full_name": 1, "citizen_id": 2, "birth_date": 3, "sex": 4}
    assert match.missing == [] and match.confidence == 1.0


def test_two_row_header_with_sex_group():
    """A merged "Giới tính" over "Nam" | "Nữ" maps the two mark columns."""
    match = detect_header(rows(
        ["Danh sách"],
        ["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính", ""],
        ["", "", "", "Nam", "Nữ"],
        ["Nguyễn Văn An", "038090000001", "1990", "x", ""],
    ), "workers")
    assert match.header_rows == (2, 3)
    assert match.mapping["sex_male"] == 3 and match.mapping["sex_female"] == 4
    assert match.mapping["full_name"] == 0
    assert match.columns[3] == "Giới tính / Nam"


def test_assessment_scores_under_merged_diem_group():
    """Sub-headers 1…10 under a merged "Điểm" group map to the ten indicators."""
    match = detect_header(rows(
        ["PHIẾU TỔNG HỢP TỰ ĐÁNH GIÁ"],
        ["STT", "Họ và tên", "Số CCCD", "Điểm", *[""] * 9, "Tổng điểm"],
        ["", "", "", *[str(i) for i in range(1, 11)], ""],
        [1, "An", "038090000001", *[8] * 10, 80],
    ), "assessments")
    assert match.header_rows == (2, 3)
    assert [match.mapping[f"score_{i}"] for i in range(1, 11)] == list(range(3, 13))
    assert match.mapping["total"] == 13 and match.missing == []


def test_numbering_row_under_header_is_skipped():
    """A row numbering the columns (1), (2), (3)… under the header is not data."""
    match = detect_header(rows(
        ["Họ và tên", "Số CCCD", "Ngày sinh"],
        ["(1)", "(2)", "(3)"],
        ["An", "038090000001", "1990"],
    ), "workers")
    assert match.header_rows == (1,) and match.skip_rows == {2}


def test_header_without_diacritics_in_capitals():
    """A header typed without diacritics in capitals is found."""
    match = detect_header(rows(["HO VA TEN", "SO CCCD", "NGAY SINH", "GIOI TINH"]), "workers")
    assert match.mapping == {"full_name": 0, "citizen_id": 1, "birth_date": 2, "sex": 3}
    assert 0.85 < match.confidence < 1.0


def test_split_name_columns():
    """Separate "Họ", "Tên đệm", "Tên" columns satisfy the name requirement."""
    match = detect_header(rows(["Họ", "Tên đệm", "Tên", "CCCD", "Năm sinh"]), "workers")
    assert match.mapping == {"family_name": 0, "middle_name": 1, "given_name": 2,
                             "citizen_id": 3, "birth_date": 4}
    assert match.missing == []


def test_missing_required_column_is_reported():
    """A header without a required column lists it in missing and problems."""
    match = detect_header(rows(["Họ và tên", "Ngày sinh", "Giới tính"]), "workers")
    assert match.missing == ["Số CCCD"]
    assert match.problems == ["Không tìm thấy cột bắt buộc: Số CCCD."]
    assert match.confidence == 0.0


def test_missing_alternative_group_is_reported():
    """Without a name column the alternatives are listed together."""
    match = detect_header(rows(["Số CCCD", "Ngày sinh", "Giới tính"]), "workers")
    assert match.missing == ["Họ và tên hoặc Họ + Tên"]


def test_no_header_gives_a_vietnamese_error():
    """Rows that hold no recognisable header raise HeaderError naming the kind."""
    with pytest.raises(HeaderError, match="Không tìm thấy dòng tiêu đề của bảng «Người lao động»"):
        detect_header(rows(["a", "b"], ["1", "2"]), "workers")


def test_empty_sheet_gives_a_vietnamese_error():
    """An empty sheet raises HeaderError."""
    with pytest.raises(HeaderError, match="không có dữ liệu"):
        detect_header([], "workers")


def test_header_beyond_scan_window_is_not_found():
    """Only the first scan_rows rows are searched."""
    lines = [[f"Ghi chú {i}"] for i in range(40)] + [["Họ và tên", "Số CCCD", "Ngày sinh"]]
    with pytest.raises(HeaderError):
        detect_header(rows(*lines), "workers")
    assert detect_header(rows(*lines), "workers", scan_rows=45).header_rows == (41,)


def test_user_can_force_the_header_row():
    """header_row picks the header the user chose."""
    lines = rows(["Họ và tên", "Số CCCD"], ["Họ tên", "CMND", "Năm sinh"])
    assert detect_header(lines, "workers").header_rows == (2,)
    assert detect_header(lines, "workers", header_row=1).header_rows == (1,)


def test_user_override_of_the_mapping():
    """with_mapping moves a field to another column, unmapping whatever held that column."""
    match = detect_header(rows(["Họ và tên", "Số CCCD", "Ngày sinh", "Ghi chú"]), "workers")
    changed = match.with_mapping({"phone": 3, "birth_date": None})
    assert changed.mapping == {"full_name": 0, "citizen_id": 1, "phone": 3}
    assert changed.scores["phone"] == 1.0
    moved = match.with_mapping({"citizen_id": 2})
    assert moved.mapping == {"full_name": 0, "citizen_id": 2}


def test_override_errors():
    """Overrides naming a missing column or one column twice are refused in Vietnamese."""
    match = detect_header(rows(["Họ và tên", "Số CCCD", "Ngày sinh"]), "workers")
    with pytest.raises(HeaderError, match="Không có cột số 9"):
        match.with_mapping({"phone": 8})
    with pytest.raises(HeaderError, match="được chọn cho hai trường"):
        match.with_mapping({"phone": 2, "tax_code": 2})
    with pytest.raises(KeyError):
        match.with_mapping({"no_such_field": 1})


@pytest.mark.parametrize("header, kind", [
    (["Họ và tên", "Số CCCD", "Ngày sinh", "Giới tính"], "workers"),
    (["Số CCCD", "Họ và tên", "Mã hoạt động", "Ngày tham gia", "Số giờ"], "participations"),
    (["Tên hoạt động", "Lĩnh vực", "Ngày bắt đầu", "Số giờ"], "activities"),
    (["Số CCCD", *[f"Chỉ số {i}" for i in range(1, 11)]], "assessments"),
])
def test_guess_kind(header, kind):
    """The kind whose headers match best is guessed."""
    assert guess_kind(rows(["Tiêu đề"], header)) == kind


def test_every_kind_has_labels_that_match_themselves():
    """Every field's own label is recognised as that field (the template relies on it)."""
    for kind in KINDS.values():
        for field in kind.fields:
            scores = score_label(kind.name, field.label)
            assert scores.get(field.name) == 1.0, (kind.name, field.name)
