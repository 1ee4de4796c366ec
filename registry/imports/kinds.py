"""The import kinds and their fields, as data: one place to add a column or a header synonym.

A field names the normaliser (a function of registry.imports.cells) that reads its cells, the
header texts that mean it (matched with or without diacritics, in any case), whether it must be
present, and how the downloadable template shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The four programme areas every learning activity is classified under (DOMAIN.md §1).
AREAS: dict[str, str] = {
    "a": "Chính trị, pháp luật",
    "b": "Kỹ năng nghề nghiệp",
    "c": "Kỹ năng sống",
    "d": "Công nghệ thông tin, công nghệ số",
}

#: A CCCD that only appears in the templates' example rows; an import refuses it.
EXAMPLE_CITIZEN_ID = "038090000001"
#: The activity code of the templates' example rows ("VD" for "ví dụ").
EXAMPLE_ACTIVITY_CODE = "VD-001"
SCORE_COUNT = 10


@dataclass(frozen=True)
class Field:
    """One column an import understands."""

    name: str
    label: str
    parser: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    #: Written as text in templates and error files so leading zeros survive.
    as_text: bool = False
    example: object = ""
    #: A drop-down list offered in the template.
    choices: tuple[str, ...] = ()
    width: int = 16
    hint: str = ""
    #: Shown as a column of the downloadable template (alternatives such as "Họ" are not).
    in_template: bool = True


@dataclass(frozen=True)
class Kind:
    """An import kind: its fields and the groups of which at least one member is needed."""

    name: str
    label: str
    fields: tuple[Field, ...]
    #: Each tuple lists alternatives; one alternative (all its fields) must be mapped.
    one_of: tuple[tuple[tuple[str, ...], ...], ...] = ()
    notes: tuple[str, ...] = field(default=())

    def field(self, name: str) -> Field:
        """The field called name."""
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)


CITIZEN_ID = Field(
    "citizen_id", "Số CCCD", "citizen_id",
    ("số cccd", "cccd", "cccd/cmnd", "cmnd/cccd", "số cccd/cmnd", "số cmnd/cccd",
     "số định danh", "số định danh cá nhân", "cmnd", "số cmnd", "căn cước công dân",
     "số căn cước công dân", "số căn cước", "căn cước", "mã định danh", "cccd số"),
    required=True, as_text=True, example=EXAMPLE_CITIZEN_ID, width=16,
    hint="12 chữ số, giữ nguyên số 0 ở đầu (cột đã định dạng Văn bản).",
)
FULL_NAME = Field(
    "full_name", "Họ và tên", "person_name",
    ("họ và tên", "họ tên", "họ, tên", "họ và tên người lao động", "họ tên người lao động",
     "họ và tên công nhân", "họ tên công nhân", "họ và tên cnlđ", "họ tên cnlđ",
     "tên người lao động", "họ và tên đoàn viên", "người lao động"),
    example="Nguyễn Văn An", width=26,
)

WORKER_FIELDS = (
    FULL_NAME,
    Field("family_name", "Họ", "person_name",
          ("họ", "họ và tên đệm", "họ và đệm", "họ đệm", "họ, tên đệm", "họ và chữ đệm"),
          in_template=False),
    Field("middle_name", "Tên đệm", "person_name", ("tên đệm", "đệm", "tên lót", "chữ lót"),
          in_template=False),
    Field("given_name", "Tên", "person_name", ("tên", "tên gọi"), in_template=False),
    CITIZEN_ID,
    Field("birth_date", "Ngày sinh", "birth_date",
          ("ngày sinh", "năm sinh", "ngày tháng năm sinh", "ngày, tháng, năm sinh",
           "ngày/tháng/năm sinh", "sinh ngày", "ngày sinh (dd/mm/yyyy)", "năm"),
          required=True, as_text=True, example="15/03/1990", width=13,
          hint="ngày/tháng/năm (ví dụ 05/02/1990), hoặc chỉ năm sinh (1990)."),
    Field("sex", "Giới tính", "sex", ("giới tính", "nam/nữ", "nam nữ", "giới", "phái"),
          example="Nam", choices=("Nam", "Nữ"), width=10, hint="Nam hoặc Nữ."),
    Field("sex_male", "Nam", "boolean", ("nam", "giới tính nam"), in_template=False),
    Field("sex_female", "Nữ", "boolean", ("nữ", "giới tính nữ"), in_template=False),
    Field("enterprise", "Đơn vị", "text",
          ("đơn vị", "doanh nghiệp", "tên doanh nghiệp", "tên đơn vị", "đơn vị công tác",
           "nơi làm việc", "công ty", "tên công ty", "cơ quan, đơn vị", "dn"),
          example="Công ty TNHH May Hoằng Hóa", width=30),
    Field("tax_code", "Mã số thuế", "tax_code",
          ("mã số thuế", "mst", "mã số doanh nghiệp", "mã số thuế doanh nghiệp", "mã số thuế dn"),
          as_text=True, width=14),
    Field("phone", "Số điện thoại", "phone",
          ("số điện thoại", "sđt", "điện thoại", "đt", "số đt", "điện thoại di động",
           "di động", "số di động", "đtdđ"),
          as_text=True, example="0912345678", width=14),
    Field("union_member", "Đoàn viên công đoàn", "boolean",
          ("đoàn viên", "đoàn viên công đoàn", "là đoàn viên", "đvcđ", "đoàn viên cđ",
           "đv công đoàn", "đoàn viên (x)"),
          example="x", choices=("x", "Có", "Không"), width=12,
          hint="x (hoặc Có) nếu là đoàn viên công đoàn; để trống nếu không."),
    Field("start_date", "Ngày vào làm", "date",
          ("ngày vào làm", "ngày vào làm việc", "ngày bắt đầu làm việc", "ngày bắt đầu làm",
           "ngày vào công ty", "ngày tuyển dụng", "ngày nhận việc", "thời gian vào làm",
           "ngày vào đơn vị"),
          as_text=True, example="01/06/2015", width=13),
)

PARTICIPATION_FIELDS = (
    CITIZEN_ID,
    FULL_NAME,
    Field("activity_code", "Mã hoạt động", "code",
          ("mã hoạt động", "mã hđ", "mã lớp", "mã khóa học", "mã lớp học"),
          as_text=True, example=EXAMPLE_ACTIVITY_CODE, width=14),
    Field("activity_title", "Tên hoạt động", "text",
          ("tên hoạt động", "hoạt động", "tên lớp", "tên lớp học", "lớp học", "khóa học",
           "tên khóa học", "nội dung", "nội dung học tập", "chuyên đề", "tên chuyên đề",
           "hoạt động học tập", "tên hoạt động học tập"),
          example="Tập huấn Bộ luật Lao động 2019", width=34),
    Field("attended_on", "Ngày tham gia", "date",
          ("ngày tham gia", "ngày học", "thời gian tham gia", "ngày", "thời gian",
           "ngày tham dự", "ngày tổ chức"),
          as_text=True, example="20/05/2025", width=13),
    Field("hours", "Số giờ", "hours",
          ("số giờ", "số giờ học", "số giờ tham gia", "thời lượng", "thời lượng (giờ)",
           "số giờ học tập", "giờ"),
          example=4, width=9),
    Field("completed", "Hoàn thành", "boolean",
          ("hoàn thành", "kết quả", "đạt", "kết quả học tập", "đánh giá", "xếp loại",
           "hoàn thành (x)"),
          example="Đạt", choices=("Đạt", "Không đạt"), width=12,
          hint="Đạt / Hoàn thành / x, hoặc Không đạt."),
)

ACTIVITY_FIELDS = (
    Field("code", "Mã hoạt động", "code",
          ("mã hoạt động", "mã hđ", "mã lớp", "mã khóa học", "mã"),
          as_text=True, example=EXAMPLE_ACTIVITY_CODE, width=14),
    Field("title", "Tên hoạt động", "text",
          ("tên hoạt động", "hoạt động", "tên lớp", "tên lớp học", "tên khóa học", "nội dung",
           "chủ đề", "tên chương trình", "chuyên đề", "tên chuyên đề", "nội dung hoạt động"),
          required=True, example="Tập huấn Bộ luật Lao động 2019", width=36),
    Field("area", "Lĩnh vực", "area",
          ("lĩnh vực", "lĩnh vực học tập", "nhóm nội dung", "nhóm lĩnh vực", "mảng",
           "lĩnh vực (a-d)"),
          required=True, example=AREAS["a"], choices=tuple(AREAS.values()), width=30,
          hint="một trong bốn lĩnh vực, hoặc chữ a, b, c, d."),
    Field("form", "Hình thức", "text",
          ("hình thức", "hình thức tổ chức", "loại hình", "hình thức học", "loại hoạt động"),
          example="Lớp học trực tiếp", width=18),
    Field("organiser", "Đơn vị tổ chức", "text",
          ("đơn vị tổ chức", "cơ quan tổ chức", "đơn vị chủ trì", "người tổ chức",
           "nơi tổ chức", "tổ chức bởi"),
          example="Công đoàn xã Hoằng Hợp", width=26),
    Field("start_date", "Ngày bắt đầu", "date",
          ("ngày bắt đầu", "từ ngày", "ngày tổ chức", "thời gian bắt đầu", "ngày khai giảng"),
          required=True, as_text=True, example="20/05/2025", width=13),
    Field("end_date", "Ngày kết thúc", "date",
          ("ngày kết thúc", "đến ngày", "thời gian kết thúc", "ngày bế giảng"),
          as_text=True, example="20/05/2025", width=13),
    Field("hours", "Số giờ", "hours",
          ("số giờ", "thời lượng", "thời lượng (giờ)", "tổng số giờ", "số giờ học"),
          example=4, width=9),
    Field("location", "Địa điểm", "text", ("địa điểm", "nơi học", "địa điểm tổ chức"),
          example="Nhà văn hóa xã", width=20),
)


def _score_synonyms(i: int) -> tuple[str, ...]:
    return (
        f"chỉ số {i}", f"tiêu chí {i}", f"tc{i}", f"tc {i}", f"cs{i}", f"cs {i}",
        f"điểm {i}", f"điểm chỉ số {i}", f"điểm tiêu chí {i}", f"điểm tc{i}",
        f"chỉ số thứ {i}", f"ct{i}",
    )


ASSESSMENT_FIELDS = (
    CITIZEN_ID,
    FULL_NAME,
    Field("year", "Năm đánh giá", "year",
          ("năm đánh giá", "năm", "năm xét", "năm công nhận"), example=2025, width=10),
    *(
        Field(f"score_{i}", f"Chỉ số {i}", "score", _score_synonyms(i), required=True,
              example=8, width=9)
        for i in range(1, SCORE_COUNT + 1)
    ),
    Field("total", "Tổng điểm", "score", ("tổng điểm", "tổng", "tổng cộng", "cộng điểm"),
          example=80, width=10),
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "workers", "Người lao động", WORKER_FIELDS,
            one_of=((("full_name",), ("family_name", "given_name")),),
            notes=(
                "Mỗi dòng là một người lao động; số CCCD không được trùng.",
                "Có thể ghi họ tên trong một cột «Họ và tên», hoặc tách ba cột «Họ», "
                "«Tên đệm», «Tên».",
                "Giới tính: ghi Nam hoặc Nữ (cũng hiểu 1 = Nam; 0 hoặc 2 = Nữ), hoặc dùng hai "
                "cột «Nam» và «Nữ» rồi đánh x vào một cột.",
            ),
        ),
        Kind(
            "participations", "Người lao động tham gia hoạt động học tập",
            PARTICIPATION_FIELDS,
            one_of=((("activity_code",), ("activity_title",)),),
            notes=(
                "Mỗi dòng là một lượt tham gia của một người lao động vào một hoạt động.",
                "Ghi «Mã hoạt động» (xem trong danh sách hoạt động) hoặc «Tên hoạt động» đúng "
                "như đã đăng ký.",
            ),
        ),
        Kind(
            "activities", "Hoạt động học tập", ACTIVITY_FIELDS,
            notes=(
                "Mỗi dòng là một hoạt động học tập (lớp học, hội thảo, buổi tuyên truyền, "
                "hội thi…).",
                "Lĩnh vực: " + "; ".join(f"{k}) {v}" for k, v in AREAS.items()) + ".",
            ),
        ),
        Kind(
            "assessments", "Phiếu tự đánh giá Công dân học tập", ASSESSMENT_FIELDS,
            notes=(
                "Mỗi dòng là phiếu tự đánh giá của một người lao động: điểm 10 chỉ số, mỗi "
                "chỉ số từ 0 đến 10, được ghi một chữ số thập phân (ví dụ 8,5).",
            ),
        ),
    )
}


def get_kind(name: str) -> Kind:
    """The import kind called name ("workers", "participations", "activities", "assessments")."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown import kind {name!r}") from None
