"""Vietnamese text: NFC, trimming, accent-insensitive keys and collation order."""

import unicodedata

import pytest

from registry.errors import DomainError
from registry.text import (
    clean,
    clean_lines,
    fold,
    join_name,
    name_case,
    person_sort_key,
    split_full_name,
    vi_sorted,
)
from registry.validation import text_value


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_input_is_stored_composed():
    """Text typed as NFD (base letters + combining marks) comes out NFC."""
    typed = nfd("Nguyễn Thị Hồng Nhung")
    assert typed != "Nguyễn Thị Hồng Nhung"
    assert clean(typed) == "Nguyễn Thị Hồng Nhung"
    assert unicodedata.is_normalized("NFC", clean(typed))


@pytest.mark.parametrize(
    "raw", ["  Trần   Văn  Nam ", "\tTrần Văn Nam\n", "Trần\u00a0Văn Nam", "Trần \u3000Văn Nam"]
)
def test_stray_and_double_spaces_are_folded(raw):
    """Leading, trailing and repeated white space of any kind becomes single spaces."""
    assert clean(raw) == "Trần Văn Nam"


@pytest.mark.parametrize(("raw", "expected"), [
    ("- Như Điều 3;\r\n-  Lưu:  VT.", "- Như Điều 3;\n- Lưu: VT."),
    ("  Dòng một \n\n\n  Dòng hai\r", "Dòng một\nDòng hai"),
    (nfd("Tổng Liên đoàn\rThường trực"), "Tổng Liên đoàn\nThường trực"),
    (None, ""),
])
def test_lines_keep_their_breaks_and_lose_stray_spaces(raw, expected):
    """A box of several lines keeps one line per line typed (any line end), each cleaned;
    blank lines go."""
    assert clean_lines(raw) == expected


def test_text_value_keeps_lines_only_when_asked():
    """A one-line field folds a line break to a space; a multi-line one keeps it and still
    counts its length against the limit."""
    typed = "Tổng Liên đoàn Lao động Việt Nam (b/c)\r\nLưu: VT"
    assert text_value(typed, "f", "nơi nhận", 100) == (
        "Tổng Liên đoàn Lao động Việt Nam (b/c) Lưu: VT")
    assert text_value(typed, "f", "nơi nhận", 100, multiline=True) == (
        "Tổng Liên đoàn Lao động Việt Nam (b/c)\nLưu: VT")
    with pytest.raises(DomainError) as refused:
        text_value("a\n" * 60, "f", "nơi nhận", 100, multiline=True)
    assert refused.value.fields == {"f": "Nơi nhận dài 119 ký tự, tối đa 100 ký tự."}


def test_clean_of_none_is_empty():
    """A missing value cleans to the empty string."""
    assert clean(None) == ""


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Nguyễn Đức", "nguyen duc"),
        (nfd("Nguyễn Đức"), "nguyen duc"),
        ("ĐẶNG THỊ THU HƯƠNG", "dang thi thu huong"),
        ("  Lê   Ánh ", "le anh"),
    ],
)
def test_fold_removes_case_and_diacritics(raw, key):
    """The search key is lower case ASCII-like, đ as d, whatever the input form."""
    assert fold(raw) == key


def test_names_are_capitalised_word_by_word():
    """NGUYỄN VĂN AN and nguyễn văn an are written Nguyễn Văn An."""
    assert name_case("NGUYỄN VĂN AN") == "Nguyễn Văn An"
    assert name_case(" nguyễn  thị   ánh ") == "Nguyễn Thị Ánh"


def test_full_name_splits_into_family_middle_given():
    """The first word is the family name, the last the given name, the rest the middle."""
    assert split_full_name("Nguyễn Thị Thu Hà") == ("Nguyễn", "Thị Thu", "Hà")
    assert split_full_name("Lê Na") == ("Lê", "", "Na")
    assert split_full_name("Hà") == ("", "", "Hà")
    assert join_name("Lê", "", "Na") == "Lê Na"


def test_tones_order_none_huyen_hoi_nga_sac_nang():
    """Tones sort: none, huyền, hỏi, ngã, sắc, nặng."""
    expected = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert vi_sorted(reversed(expected), key=lambda word: word) == expected


@pytest.mark.parametrize(
    "expected",
    [
        ["Anh", "Ăn", "Ân", "Bình"],
        ["Dũng", "Dương", "Đào", "Đức", "Giang"],
        ["Oanh", "Ông", "Ơn", "Phúc"],
        ["Uyên", "Ưng", "Vân"],
    ],
)
def test_letter_order_is_vietnamese(expected):
    """ă and â follow a, đ follows d, ô and ơ follow o, ư follows u."""
    assert vi_sorted(sorted(expected, reverse=True), key=lambda word: word) == expected


def test_plain_sorted_gets_it_wrong():
    """Python's code-point order puts Đ after Z; the Vietnamese key puts it after D."""
    words = ["Đào", "Dũng", "Xuân"]
    assert sorted(words) == ["Dũng", "Xuân", "Đào"]
    assert vi_sorted(words, key=lambda word: word) == ["Dũng", "Đào", "Xuân"]


def test_people_sort_by_given_then_family_then_middle():
    """Name lists are ordered by given name, then family name, then middle name."""
    people = [
        ("Trần", "Văn", "An"),
        ("Nguyễn", "Văn", "An"),
        ("Lê", "Thị", "Bình"),
        ("Nguyễn", "Thị", "An"),
        ("Đỗ", "Hữu", "Anh"),
        ("Bùi", "Văn", "Ánh"),
    ]
    ordered = sorted(people, key=lambda p: person_sort_key(*p))
    assert ordered == [
        ("Nguyễn", "Thị", "An"),
        ("Nguyễn", "Văn", "An"),
        ("Trần", "Văn", "An"),
        ("Đỗ", "Hữu", "Anh"),
        ("Bùi", "Văn", "Ánh"),
        ("Lê", "Thị", "Bình"),
    ]


def test_sort_key_ignores_input_form():
    """NFD or padded names get the same sort key as clean NFC ones."""
    assert person_sort_key(nfd(" Đặng "), "Thị", nfd("Ánh")) == person_sort_key(
        "Đặng", "Thị", "Ánh"
    )
