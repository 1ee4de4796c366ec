"""The activity log (communication, events, directives, spending) and the data of the periodic
report of a commune or a province: everything is filtered by the unit's communes and the
period, figures are counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from registry.auth.models import Role
from registry.auth.scope import Scope
from registry.commendations.models import (
    CommendationEntry,
    CommendationRound,
    EntryKind,
    EntryStatus,
)
from registry.db import utcnow
from registry.enterprises.models import Enterprise
from registry.errors import DomainError
from registry.learning.models import Activity, ActivityForm, Participation
from registry.plans import services as plans
from registry.plans.models import Plan
from registry.reports.models import (
    Channel,
    CommunicationItem,
    Directive,
    Event,
    FundingSource,
    ReportText,
    Spending,
)
from registry.units.models import Commune, Province
from registry.validation import text_value
from registry.workers.models import Worker

#: The largest amount accepted for one spending line (a hundred billion đồng).
MAX_AMOUNT = 100_000_000_000


# --- who may do what -------------------------------------------------------------------------


def can_view_log(scope: Scope) -> bool:
    """Commune officers, provincial viewers and admins read the log and the reports."""
    return scope.role != Role.ENTERPRISE


def can_edit_log(scope: Scope) -> bool:
    """Commune officers and admins keep the log and the report texts."""
    return scope.role in (Role.ADMIN, Role.COMMUNE)


def communes_of(session: Session, scope: Scope) -> list[Commune]:
    """The served communes whose log and reports the user may open."""
    return list(session.scalars(
        select(Commune).where(Commune.is_served, scope.communes()).order_by(Commune.name)))


# --- the activity log ------------------------------------------------------------------------

#: The log's kinds: URL slug → (model, date column name, Vietnamese name).
KINDS: dict[str, tuple[type, str, str]] = {
    "truyen-thong": (CommunicationItem, "published_on", "Tin, bài truyền thông"),
    "su-kien": (Event, "start_date", "Sự kiện"),
    "van-ban": (Directive, "issued_on", "Văn bản chỉ đạo"),
    "kinh-phi": (Spending, "spent_on", "Kinh phí"),
}


def _choice(enum_class, value, field_name: str, label: str):
    try:
        return enum_class(value)
    except ValueError as exc:
        raise DomainError(**{field_name: f"Hãy chọn {label} trong danh sách."}) from exc


def _day(value: date | None, field_name: str, label: str) -> date:
    if value is None:
        raise DomainError(**{field_name: f"Chưa nhập {label}."})
    return value


def _commune_id(scope: Scope, commune_id: int | None, session: Session) -> int:
    if scope.role == Role.COMMUNE:
        return scope.commune_id
    commune = session.scalar(select(Commune).where(Commune.id == (commune_id or 0),
                                                   Commune.is_served))
    if commune is None:
        raise DomainError(commune_id="Hãy chọn xã, phường.")
    return commune.id


def save_entry(session: Session, scope: Scope, kind: str, values: dict[str, Any],
               item: Any = None) -> Any:
    """Create or update one log entry of the given kind; invalid values save nothing."""
    if not can_edit_log(scope):
        raise DomainError("Tài khoản của bạn không được sửa nhật ký hoạt động.")
    model = KINDS[kind][0]
    commune_id = item.commune_id if item is not None else _commune_id(
        scope, values.get("commune_id"), session)
    clean: dict[str, Any] = {}
    if model is CommunicationItem:
        clean["published_on"] = _day(values.get("published_on"), "published_on", "ngày đăng")
        clean["channel"] = _choice(Channel, values.get("channel"), "channel", "kênh")
        clean["title"] = text_value(values.get("title"), "title", "tiêu đề", 255, required=True)
        count = values.get("count")
        if count is None or count < 1:
            raise DomainError(count="Số tin, bài, lượt phải từ 1 trở lên.")
        if count > 10_000:
            raise DomainError(count="Số tin, bài, lượt tối đa 10.000 cho một dòng.")
        clean["count"] = count
    elif model is Event:
        start = _day(values.get("start_date"), "start_date", "ngày bắt đầu")
        end = values.get("end_date") or start
        if end < start:
            raise DomainError(end_date="Ngày kết thúc phải từ ngày bắt đầu trở đi.")
        clean.update(start_date=start, end_date=end)
        clean["title"] = text_value(values.get("title"), "title", "tên sự kiện", 255,
                                    required=True)
        clean["description"] = text_value(values.get("description"), "description",
                                          "nội dung", 5000, multiline=True)
    elif model is Directive:
        clean["number"] = text_value(values.get("number"), "number", "số, ký hiệu", 50,
                                     required=True)
        clean["issued_on"] = _day(values.get("issued_on"), "issued_on", "ngày ban hành")
        clean["title"] = text_value(values.get("title"), "title", "trích yếu", 500,
                                    required=True)
    else:
        clean["spent_on"] = _day(values.get("spent_on"), "spent_on", "ngày chi")
        clean["source"] = _choice(FundingSource, values.get("source"), "source", "nguồn")
        amount = values.get("amount")
        if amount is None:
            raise DomainError(amount="Chưa nhập số tiền.")
        if amount < 0:
            raise DomainError(amount="Số tiền không được âm.")
        if amount != int(amount):
            raise DomainError(amount="Số tiền tính bằng đồng, không có phần lẻ.")
        if amount > MAX_AMOUNT:
            raise DomainError(amount="Số tiền vượt quá 100 tỷ đồng: hãy kiểm tra lại.")
        clean["amount"] = int(amount)
        clean["purpose"] = text_value(values.get("purpose"), "purpose", "nội dung chi", 500,
                                      required=True)
        enterprise_id = values.get("enterprise_id") or None
        if enterprise_id:
            found = session.scalar(select(Enterprise.id).where(
                Enterprise.id == enterprise_id, Enterprise.commune_id == commune_id))
            if found is None:
                raise DomainError(enterprise_id="Hãy chọn doanh nghiệp của xã.")
        clean["enterprise_id"] = enterprise_id
    if item is None:
        item = model(commune_id=commune_id)
        session.add(item)
    for key, value in clean.items():
        setattr(item, key, value)
    session.flush()
    return item


def archive_entry(session: Session, item: Any) -> None:
    """Archive a log entry entered by mistake (kept, no longer reported)."""
    item.archived_at = utcnow()
    session.flush()


def restore_entry(session: Session, item: Any) -> None:
    """Count an archived log entry again."""
    item.archived_at = None
    session.flush()


def entries_query(kind: str, scope: Scope, start: date, end: date,
                  commune_id: int | None = None, archived: bool = False) -> Select:
    """Log entries of a kind in the user's communes and a period, newest first."""
    model, day, _ = KINDS[kind]
    column = getattr(model, day)
    stmt = select(model).where(
        model.commune_id.in_(select(Commune.id).where(scope.communes())),
        column >= start, column <= end,
        model.archived_at.is_not(None) if archived else model.archived_at.is_(None),
    )
    if commune_id:
        stmt = stmt.where(model.commune_id == commune_id)
    return stmt.order_by(column.desc(), model.id.desc())


def entry_in_scope(session: Session, scope: Scope, kind: str, item_id: int) -> Any | None:
    """One log entry if it belongs to a commune the user may see."""
    model = KINDS[kind][0]
    return session.scalar(select(model).where(
        model.id == item_id, model.commune_id.in_(select(Commune.id).where(scope.communes()))))


# --- the periodic report's prose -------------------------------------------------------------

#: Editable sections: key → (label, text offered the first time).
SECTIONS: dict[str, tuple[str, str]] = {
    "basis": ("Căn cứ, mở đầu", "Thực hiện chỉ đạo của cấp trên về việc báo cáo kết quả thực "
              "hiện Chương trình “Đẩy mạnh các hoạt động học tập suốt đời trong công nhân lao "
              "động tại các doanh nghiệp đến năm 2030”. {issuer} báo cáo kết quả thực hiện "
              "như sau:"),
    "communication": ("2. Thông tin tuyên truyền — nội dung thêm",
                      "- Triển khai hệ thống tài liệu về học tập suốt đời do Trung ương, tỉnh "
                      "biên soạn."),
    "support": ("3. Biện pháp hỗ trợ công nhân lao động học tập",
                "- Vận động các doanh nghiệp đóng trên địa bàn ưu tiên bố trí nguồn kinh phí "
                "cho việc khuyến khích học tập, nâng cao tay nghề; tạo điều kiện tốt nhất để "
                "hỗ trợ công nhân lao động được tham gia học tập suốt đời."),
    "campaigns": ("5. Phong trào thi đua, cuộc vận động",
                  "- Đẩy mạnh và phát động phong trào học tập suốt đời với thông điệp “học tập "
                  "suốt đời - cơ hội có việc làm bền vững”."),
    "coordination": ("6. Phối hợp giữa các cấp, các ngành",
                     "- Phối hợp với các doanh nghiệp, người sử dụng lao động hỗ trợ, tạo điều "
                     "kiện để công nhân lao động học tập nâng cao trình độ, kỹ năng nghề "
                     "nghiệp."),
    "achievements": ("II.1. Kết quả đạt được — nhận định",
                     "- Nhận thức, trách nhiệm của các cấp, các ngành, người sử dụng lao động và "
                     "công nhân lao động về học tập suốt đời có chuyển biến tích cực."),
    "shortcomings": ("II.2. Tồn tại, hạn chế",
                     "- Kinh phí hỗ trợ cho hoạt động học tập suốt đời trong công nhân lao động "
                     "còn hạn hẹp, kêu gọi xã hội hóa còn gặp nhiều khó khăn."),
    "proposals": ("III. Kiến nghị, đề xuất",
                  "- Cấp có thẩm quyền ban hành cơ chế, chính sách phù hợp nhằm khuyến khích "
                  "động viên người lao động tích cực học tập suốt đời."),
    "recipients": ("Nơi nhận (mỗi dòng một nơi)",
                   "Liên đoàn Lao động (b/c)\nTT. Đảng ủy, HĐND (b/c)\nLưu: VT"),
    "signer_authority": ("Quyền hạn ký (TM., KT., …)", "KT. CHỦ TỊCH"),
    "signer_title": ("Chức vụ người ký", "PHÓ CHỦ TỊCH"),
    "signer_name": ("Họ và tên người ký", ""),
}
MAX_TEXT = 20_000


#: Starter texts of a province's report (issued by the provincial trade-union federation).
PROVINCE_DEFAULTS: dict[str, str] = {
    "recipients": "Tổng Liên đoàn Lao động Việt Nam (b/c)\nThường trực Tỉnh ủy, UBND tỉnh (b/c)\n"
                  "Lưu: VT",
    "signer_authority": "TM. BAN THƯỜNG VỤ",
    "signer_title": "CHỦ TỊCH",
}


def province_label(province: Province) -> str:
    """ "tỉnh Thanh Hóa", "thành phố Hà Nội": the province as prose names it."""
    short = province_short_name(province)
    kind = "thành phố" if province.division_type.startswith("thành phố") else "tỉnh"
    return f"{kind} {short}"


def province_short_name(province: Province) -> str:
    """ "Thanh Hóa", "Hà Nội": the name without its type word."""
    for prefix in ("Thành phố ", "Tỉnh "):
        if province.name.startswith(prefix):
            return province.name[len(prefix):]
    return province.name


def issuer_name(commune: Commune | None, province: Province) -> str:
    """Who issues the report: the commune's People's Committee, or the province's trade-union
    federation (LĐLĐ tỉnh, the provincial officers' body)."""
    if commune is not None:
        return f"UBND {commune.division_type} {commune.short_name}"
    return f"Liên đoàn Lao động {province_label(province)}"


def _texts_of(commune: Commune | None, province: Province) -> ColumnElement[bool]:
    """Filter on ReportText: the texts of the commune's report, else of the province's."""
    if commune is not None:
        return ReportText.commune_id == commune.id
    return ReportText.province_id == province.id


def report_texts(session: Session, commune: Commune | None, province: Province
                 ) -> dict[str, str]:
    """The report's prose: the unit's saved texts (a commune's, or the province's when commune
    is None), and the starter text for sections never written."""
    saved = dict(session.execute(
        select(ReportText.key, ReportText.text).where(_texts_of(commune, province))
    ).tuples().all())
    issuer = issuer_name(commune, province)
    defaults = {key: default.replace("{issuer}", issuer)
                for key, (_, default) in SECTIONS.items()}
    if commune is None:
        defaults.update(PROVINCE_DEFAULTS)
    return {key: saved.get(key, default) for key, default in defaults.items()}


def save_report_texts(session: Session, scope: Scope, unit: plans.Unit,
                      texts: dict[str, str]) -> None:
    """Keep the officer's texts of the unit's report for this and the next reports."""
    if not can_edit_texts(scope, unit):
        raise DomainError("Tài khoản của bạn chỉ được xem báo cáo.")
    commune = session.get(Commune, unit.id) if unit.kind == "commune" else None
    province = session.get(Province, unit.province_id)
    existing = {t.key: t for t in session.scalars(
        select(ReportText).where(_texts_of(commune, province)))}
    for key, (label, _) in SECTIONS.items():
        if key not in texts:
            continue
        value = text_value(texts[key], key, label.lower(), MAX_TEXT, multiline=True)
        row = existing.get(key)
        if row is None:
            session.add(ReportText(commune_id=commune.id if commune else None,
                                   province_id=None if commune else province.id,
                                   key=key, text=value))
        else:
            row.text = value
    session.flush()


# --- the unit a report is about --------------------------------------------------------------


def report_units(session: Session, scope: Scope) -> list[plans.Unit]:
    """The units whose report the user may open: the province (provincial officers, admins)
    and the served communes of the user's area; nothing for enterprise officers."""
    if not can_view_log(scope):
        return []
    return plans.unit_choices(session, scope)


def report_unit(session: Session, scope: Scope, key: str | None) -> plans.Unit | None:
    """The province or commune named by key ("tinh-38", "xa-15865") if the user may report on
    it; without a key a provincial officer's province, anyone else's first commune."""
    if not can_view_log(scope):
        return None
    if key:
        unit = plans.resolve_unit(session, scope, key)
        return unit if unit is not None and unit.kind in ("province", "commune") else None
    if scope.role == Role.PROVINCE:
        return plans.default_unit(session, scope)
    communes = communes_of(session, scope)
    return plans.commune_unit(communes[0]) if communes else None


def can_edit_texts(scope: Scope, unit: plans.Unit) -> bool:
    """Who writes the prose of a unit's report: a commune's officers (and admins) for the
    commune; the province's own officers (and admins) for the province — the provincial
    union writes its report even though it only reads the communes' data."""
    if scope.role == Role.ADMIN:
        return unit.kind in ("commune", "province")
    if unit.kind == "commune":
        return scope.role == Role.COMMUNE and scope.commune_id == unit.id
    return unit.kind == "province" and scope.role == Role.PROVINCE and (
        scope.province_id == unit.id)


# --- the data of the periodic report ---------------------------------------------------------


@dataclass
class Competition:
    """A competition of the period with its participants and winners."""

    title: str
    start: date
    participants: int
    winners: list[tuple[str, str]]  #: (name, result)
    commune: str = ""  #: the commune that held it (named in a province's report)


@dataclass
class CommuneLine:
    """One served commune's figures in a province's report."""

    commune: Commune
    counts: plans.Counts
    communication: int
    spending: int
    commended: int


@dataclass
class ReportData:
    """Everything the report prints, counted from the registry."""

    unit: plans.Unit
    province: Province
    #: The commune of a commune's report; None for a province's report.
    commune: Commune | None
    #: The served communes whose figures the report holds (the one commune, or the province's).
    communes: list[Commune]
    start: date
    end: date
    year: int
    plan: Plan | None
    milestone: int | None
    directives: list[Directive]
    communication: dict[Channel, int]
    communication_items: int
    events: list[Event]
    commended_workers: int
    commended_children: int
    commendation_total: int
    competitions: list[Competition]
    spending: dict[FundingSource, int]
    spending_items: list[Spending]
    standings: list[plans.Standing]
    enterprises: list[plans.EnterpriseRow]
    texts: dict[str, str] = field(default_factory=dict)
    #: The unit's counts by year up to the report's year, for the trend chart.
    trend: dict[int, plans.Counts] = field(default_factory=dict)
    #: A province's report: the figures of each served commune.
    by_commune: list[CommuneLine] = field(default_factory=list)

    @property
    def is_province(self) -> bool:
        """A province's report (figures summed over its communes)."""
        return self.commune is None

    @property
    def issuer(self) -> str:
        """ "UBND xã Hoằng Hóa" or "Liên đoàn Lao động tỉnh Thanh Hóa"."""
        return issuer_name(self.commune, self.province)

    @property
    def unit_label(self) -> str:
        """ "Xã Hoằng Hóa, tỉnh Thanh Hóa" or "tỉnh Thanh Hóa"."""
        place = province_label(self.province)
        return place if self.commune is None else f"{self.commune.name}, {place}"

    @property
    def spending_total(self) -> int:
        """All spending of the period."""
        return sum(self.spending.values())

    @property
    def is_empty(self) -> bool:
        """Nothing was recorded for the period (the report then says so)."""
        return not (self.directives or self.communication_items or self.events
                    or self.commended_workers or self.commended_children or self.competitions
                    or self.spending_items or any(s.reached for s in self.standings))


def _in_period(column, start: date, end: date) -> ColumnElement[bool]:
    return and_(column >= start, column <= end)


def _covered(unit: plans.Unit) -> Select:
    """The ids of the communes whose log a unit's report sums: the commune, or every commune
    of the province (as the rates count every enterprise of the province)."""
    if unit.kind == "commune":
        return select(Commune.id).where(Commune.id == unit.id)
    if unit.kind == "province":
        return select(Commune.id).where(Commune.province_id == unit.id)
    raise DomainError("Báo cáo định kỳ được lập cho một tỉnh hoặc một xã, phường.")


def collect(session: Session, unit: plans.Unit, start: date, end: date) -> ReportData:
    """The report's figures for a province or commune and a period (rates: the period's last
    year)."""
    if end < start:
        raise DomainError(end="Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi.")
    covered = _covered(unit)
    province = session.get(Province, unit.province_id)
    commune = session.get(Commune, unit.id) if unit.kind == "commune" else None
    communes = [commune] if commune is not None else list(session.scalars(
        select(Commune).where(Commune.province_id == unit.id, Commune.is_served)
        .order_by(Commune.name)))
    directives = list(session.scalars(
        select(Directive).where(Directive.commune_id.in_(covered),
                                Directive.archived_at.is_(None),
                                _in_period(Directive.issued_on, start, end))
        .options(joinedload(Directive.commune))
        .order_by(Directive.issued_on, Directive.id)))
    rows = session.execute(
        select(CommunicationItem.channel, func.sum(CommunicationItem.count))
        .where(CommunicationItem.commune_id.in_(covered),
               CommunicationItem.archived_at.is_(None),
               _in_period(CommunicationItem.published_on, start, end))
        .group_by(CommunicationItem.channel)).tuples()
    found = {Channel(channel): int(n) for channel, n in rows}
    communication = {channel: found.get(channel, 0) for channel in Channel}
    events = list(session.scalars(
        select(Event).where(Event.commune_id.in_(covered), Event.archived_at.is_(None),
                            Event.start_date <= end, Event.end_date >= start)
        .options(joinedload(Event.commune))
        .order_by(Event.start_date, Event.id)))
    commendations = session.execute(
        select(CommendationEntry.kind, func.count(), func.coalesce(
            func.sum(CommendationEntry.amount), 0))
        .join(CommendationRound, CommendationRound.id == CommendationEntry.round_id)
        .where(CommendationRound.commune_id.in_(covered), _commended(start, end))
        .group_by(CommendationEntry.kind)).tuples().all()
    by_kind = {EntryKind(kind): (int(n), int(total)) for kind, n, total in commendations}
    spending_rows = list(session.scalars(
        select(Spending).where(Spending.commune_id.in_(covered),
                               Spending.archived_at.is_(None),
                               _in_period(Spending.spent_on, start, end))
        .options(joinedload(Spending.commune), joinedload(Spending.enterprise))
        .order_by(Spending.spent_on, Spending.id)))
    spending = {source: 0 for source in FundingSource}
    for row in spending_rows:
        spending[row.source] += row.amount
    board = plans.dashboard(session, unit, end.year)
    first_year = max(board.plan.start_year if board.plan else end.year, end.year - 5)
    trend = plans.trend(session, unit, list(range(min(first_year, end.year), end.year + 1)))
    data = ReportData(
        unit=unit, province=province, commune=commune, communes=communes, start=start,
        end=end, year=end.year, plan=board.plan, milestone=board.milestone,
        directives=directives, communication=communication,
        communication_items=sum(communication.values()), events=events,
        commended_workers=by_kind.get(EntryKind.WORKER, (0, 0))[0],
        commended_children=by_kind.get(EntryKind.CHILD, (0, 0))[0],
        commendation_total=sum(total for _, total in by_kind.values()),
        competitions=_competitions(session, covered, start, end, named=commune is None),
        spending=spending, spending_items=spending_rows, standings=board.standings,
        enterprises=board.enterprises, texts=report_texts(session, commune, province),
        trend=trend,
    )
    if commune is None:
        data.by_commune = _commune_lines(session, communes, board.first, start, end)
    return data


def _commended(start: date, end: date) -> ColumnElement[bool]:
    """Filter on CommendationEntry joined with its round: approved entries of the period
    (the decision date, or the round's year while it has none)."""
    return and_(
        CommendationRound.archived_at.is_(None),
        CommendationEntry.archived_at.is_(None),
        CommendationEntry.status == EntryStatus.APPROVED,
        or_(_in_period(CommendationRound.decision_date, start, end),
            and_(CommendationRound.decision_date.is_(None),
                 CommendationRound.year.between(start.year, end.year))),
    )


def _commune_lines(session: Session, communes: list[Commune], first: date, start: date,
                   end: date) -> list[CommuneLine]:
    """Each commune's rates (under the province's counting window) and log totals."""
    ids = select(Commune.id).where(Commune.id.in_([c.id for c in communes]))

    def totals(stmt) -> dict[int, int]:
        return {cid: int(n or 0) for cid, n in session.execute(stmt)}

    talk = totals(select(CommunicationItem.commune_id, func.sum(CommunicationItem.count))
                  .where(CommunicationItem.commune_id.in_(ids),
                         CommunicationItem.archived_at.is_(None),
                         _in_period(CommunicationItem.published_on, start, end))
                  .group_by(CommunicationItem.commune_id))
    spent = totals(select(Spending.commune_id, func.sum(Spending.amount))
                   .where(Spending.commune_id.in_(ids), Spending.archived_at.is_(None),
                          _in_period(Spending.spent_on, start, end))
                   .group_by(Spending.commune_id))
    commended = totals(
        select(CommendationRound.commune_id, func.count())
        .join(CommendationEntry, CommendationEntry.round_id == CommendationRound.id)
        .where(CommendationRound.commune_id.in_(ids), _commended(start, end))
        .group_by(CommendationRound.commune_id))
    return [
        CommuneLine(commune, plans.cached_rate_table(session, plans.commune_unit(commune),
                                                     end.year, first).total,
                    talk.get(commune.id, 0), spent.get(commune.id, 0),
                    commended.get(commune.id, 0))
        for commune in communes
    ]


#: Prizes named as winners, best first; other results (consolation prizes, grades) are not.
PRIZES = ("giải nhất", "giải nhì", "giải ba")


def prize_rank(result: str) -> int | None:
    """0 for a first prize, 1 for a second, 2 for a third; None for anything else."""
    text = result.strip().lower()
    return next((rank for rank, prize in enumerate(PRIZES) if text.startswith(prize)), None)


def _competitions(session: Session, covered: Select, start: date, end: date, named: bool
                  ) -> list[Competition]:
    activities = session.scalars(
        select(Activity).where(Activity.commune_id.in_(covered),
                               Activity.form == ActivityForm.COMPETITION,
                               Activity.archived_at.is_(None),
                               Activity.start_date <= end, Activity.end_date >= start)
        .order_by(Activity.start_date, Activity.id)).all()
    names = dict(session.execute(select(Commune.id, Commune.name).where(
        Commune.id.in_({a.commune_id for a in activities}))).tuples().all()) if named else {}
    result = []
    for activity in activities:
        people = session.scalar(
            select(func.count()).select_from(Participation)
            .where(Participation.activity_id == activity.id,
                   Participation.archived_at.is_(None)))
        winners = session.execute(
            select(Participation.result, Worker.full_name)
            .join(Worker, Worker.id == Participation.worker_id)
            .where(Participation.activity_id == activity.id,
                   Participation.archived_at.is_(None), Participation.result != "")
            .order_by(Worker.sort_key)).all()
        ranked = sorted(((prize_rank(res), name, res) for res, name in winners
                         if prize_rank(res) is not None), key=lambda item: item[0])
        result.append(Competition(activity.title, activity.start_date, people,
                                  [(name, res) for _, name, res in ranked],
                                  names.get(activity.commune_id, "")))
    return result
