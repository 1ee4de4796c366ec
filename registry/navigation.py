"""The navigation bar: which menus each role sees, rendered once per role and page.

The menu depends only on the user's role and the page's endpoint, so its HTML is built once
per (role, endpoint) and reused: pages do not pay for a dozen `url_for` calls and loops on
every request.  The user's name and the sign-out form stay in base.html.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask import render_template, request
from markupsafe import Markup

from registry.auth.models import Role

EVERYONE = frozenset(Role)
WRITERS = frozenset({Role.ADMIN, Role.COMMUNE, Role.ENTERPRISE})
OFFICERS = frozenset({Role.ADMIN, Role.PROVINCE, Role.COMMUNE})
MANAGERS = frozenset({Role.ADMIN, Role.COMMUNE})
ADMINS = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class Item:
    """One link of the bar or of a menu, shown to some roles."""

    endpoint: str
    label: str
    roles: frozenset[Role] = EVERYONE


#: (menu label, its links); a menu without a label is a single link on the bar itself.
MENUS: tuple[tuple[str, tuple[Item, ...]], ...] = (
    ("", (Item("home.index", "Tổng quan"),)),
    ("Hồ sơ", (
        Item("enterprises.list_enterprises", "Doanh nghiệp"),
        Item("workers.list_workers", "Người lao động"),
        Item("learning.list_activities", "Hoạt động học tập"),
        Item("imports.list_imports", "Nhập dữ liệu từ Excel", WRITERS),
    )),
    ("Công dân học tập", (
        Item("assessment.list_assessments", "Phiếu đánh giá"),
        Item("assessment.eligibility_table", "Xét công nhận"),
        Item("recognition.list_decisions", "Quyết định công nhận"),
        Item("commendations.list_rounds", "Biểu dương, khen thưởng"),
        Item("assessment.list_criteria_sets", "Bộ tiêu chí"),
    )),
    ("Tiến độ, báo cáo", (
        Item("plans.dashboard", "Tiến độ chỉ tiêu"),
        Item("plans.list_plans", "Kế hoạch, chỉ tiêu"),
        Item("reports.activity_log", "Nhật ký hoạt động", OFFICERS),
        Item("reports.report", "Báo cáo định kỳ", OFFICERS),
    )),
    ("", (Item("auth.list_users", "Tài khoản", MANAGERS),)),
    ("", (Item("units.list_communes", "Đơn vị", ADMINS),)),
)


def _blueprint(endpoint: str) -> str:
    return endpoint.split(".", 1)[0]


@lru_cache(maxsize=2048)
def _menus_html(role: Role, endpoint: str, script_root: str) -> Markup:
    menus = []
    for label, items in MENUS:
        shown = [item for item in items if role in item.roles]
        if shown:
            active = any(_blueprint(item.endpoint) == _blueprint(endpoint) for item in shown)
            menus.append((label, shown, active))
    return Markup(render_template("_navigation.html", menus=menus, endpoint=endpoint))


def navigation(role: Role) -> Markup:
    """The menus of the bar for this role, the current page's entries marked active."""
    return _menus_html(role, request.endpoint or "", request.script_root)
