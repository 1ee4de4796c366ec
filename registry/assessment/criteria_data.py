"""The first criteria set: Hội Khuyến học Việt Nam's 2021–2030 criteria for workers, as data.

The wording follows the indicators of the criteria issued on 28/7/2022, adapted to the group
"công nhân, lao động tiểu thủ công, thợ sửa chữa".  Sources disagree on the decision number
(244/QĐ-KHVN or 324/QĐ-KHVN), so the reference text is data with a note, and officers can
correct it.  A migration inserts `WORKERS_2021_2030.as_dict()`; nothing here touches the
database.  Local conditions are off by default: each commune adds its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from registry.assessment.rules import Indicator, LocalConditions, RuleSet


@dataclass(frozen=True)
class Competence:
    """One of the three competences the indicators are grouped under."""

    code: int
    name: str


@dataclass(frozen=True)
class CriteriaSetData:
    """A versioned criteria set: name, reference, competences, indicators and thresholds."""

    name: str
    reference: str
    reference_note: str
    target_group: str
    period_start: int
    period_end: int
    competences: tuple[Competence, ...]
    indicators: tuple[Indicator, ...]
    pass_total: Decimal = Decimal(80)
    min_per_indicator: Decimal = Decimal(5)
    conditions: LocalConditions = field(default_factory=LocalConditions)

    def rule_set(self) -> RuleSet:
        """The rule this criteria set applies."""
        return RuleSet(
            indicators=self.indicators,
            pass_total=self.pass_total,
            min_per_indicator=self.min_per_indicator,
            conditions=self.conditions,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain values (str, int, Decimal, lists, dicts) for a migration to insert."""
        return {
            "name": self.name,
            "reference": self.reference,
            "reference_note": self.reference_note,
            "target_group": self.target_group,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "pass_total": self.pass_total,
            "min_per_indicator": self.min_per_indicator,
            "required_areas": sorted(self.conditions.required_areas),
            "min_hours": self.conditions.min_hours,
            "min_age": self.conditions.min_age,
            "employed_in_commune_on": self.conditions.employed_in_commune_on,
            "competences": [
                {"code": competence.code, "name": competence.name}
                for competence in self.competences
            ],
            "indicators": [
                {
                    "code": indicator.code,
                    "competence": indicator.competence,
                    "text": indicator.text,
                    "short_label": indicator.short_label,
                    "max_points": indicator.max_points,
                }
                for indicator in self.indicators
            ],
        }


_TEN = Decimal(10)

WORKERS_2021_2030 = CriteriaSetData(
    name=(
        "Tiêu chí đánh giá, công nhận danh hiệu Công dân học tập giai đoạn 2021–2030 "
        "(nhóm công nhân, lao động)"
    ),
    reference="Quyết định số 244/QĐ-KHVN ngày 28/7/2022 của Hội Khuyến học Việt Nam",
    reference_note=(
        "Các nguồn ghi khác nhau về số hiệu quyết định (244/QĐ-KHVN hoặc 324/QĐ-KHVN); "
        "cần đối chiếu với văn bản gốc trước khi ghi vào quyết định công nhận."
    ),
    target_group="Công nhân, lao động tiểu thủ công, thợ sửa chữa",
    period_start=2021,
    period_end=2030,
    competences=(
        Competence(1, "Năng lực tự học và học tập suốt đời"),
        Competence(2, "Năng lực sử dụng các công cụ tương tác"),
        Competence(3, "Năng lực quan hệ xã hội"),
    ),
    indicators=(
        Indicator(
            1,
            1,
            "Có thói quen đọc sách, báo, nghe đài, xem truyền hình, sử dụng máy tính, điện "
            "thoại thông minh để cập nhật thông tin, kiến thức",
            "cập nhật thông tin, kiến thức",
            _TEN,
        ),
        Indicator(
            2,
            1,
            "Có kế hoạch học tập phù hợp với yêu cầu công việc, vị trí việc làm hoặc tham gia "
            "các chương trình học tập do Nhà nước, doanh nghiệp, tổ chức công đoàn tổ chức",
            "kế hoạch học tập",
            _TEN,
        ),
        Indicator(
            3,
            1,
            "Biết sắp xếp công việc hợp lý để tham gia các hoạt động học tập tại cộng đồng "
            "(nhà văn hóa, câu lạc bộ, thư viện, hội thảo, buổi sinh hoạt chuyên đề)",
            "học tập tại cộng đồng",
            _TEN,
        ),
        Indicator(
            4,
            1,
            "Động viên, khuyến khích các thành viên trong gia đình và đồng nghiệp cùng "
            "tham gia học tập",
            "động viên gia đình, đồng nghiệp học tập",
            _TEN,
        ),
        Indicator(
            5,
            2,
            "Sử dụng được công nghệ thông tin đáp ứng yêu cầu của công việc",
            "công nghệ thông tin",
            _TEN,
        ),
        Indicator(
            6,
            2,
            "Sử dụng được ngoại ngữ đáp ứng yêu cầu của công việc",
            "ngoại ngữ",
            _TEN,
        ),
        Indicator(
            7,
            2,
            "Có kỹ năng tính toán giúp công việc sáng tạo, nâng cao năng suất, hiệu quả lao động",
            "kỹ năng tính toán",
            _TEN,
        ),
        Indicator(
            8,
            2,
            "Có tư duy biện chứng, tư duy phản biện trong công việc và trong đời sống xã hội",
            "tư duy biện chứng, phản biện",
            _TEN,
        ),
        Indicator(
            9,
            3,
            "Có quan hệ thân thiện với đồng nghiệp và mọi người xung quanh; biết phòng tránh "
            "và giải quyết mâu thuẫn, xung đột",
            "quan hệ thân thiện",
            _TEN,
        ),
        Indicator(
            10,
            3,
            "Biết hợp tác, chia sẻ với đồng nghiệp và cộng đồng",
            "hợp tác, chia sẻ",
            _TEN,
        ),
    ),
    pass_total=Decimal(80),
    min_per_indicator=Decimal(5),
)
