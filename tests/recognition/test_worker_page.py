"""The worker's page lists each year's assessment and certificate, as far as the viewer sees."""

import re
from datetime import date

from registry.assessment.models import AssessmentStatus
from registry.auth.models import Role
from registry.recognition.models import Certificate
from registry.workers.models import Employment
from tests.recognition.conftest import assess


def learning_citizen_rows(html: str) -> list[list[str]]:
    """The cells of the page's "Công dân học tập" table, tags removed."""
    if 'id="learning-citizen"' not in html:
        return []
    table = html.split('id="learning-citizen"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_each_year_links_its_assessment_and_certificate(db, rec, client, login_as):
    (worker,) = rec.eligible(("Nguyễn", "Thị", "Lan"))
    draft = assess(db, worker, [7] * 10, year=2026, status=AssessmentStatus.DRAFT)
    rec.issued()
    certificate = db.query(Certificate).filter_by(worker_id=worker.id).one()
    login_as(Role.COMMUNE)
    html = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert learning_citizen_rows(html) == [
        ["2026", "Đang tự đánh giá", "—"],
        ["2025", "Đã phê duyệt", certificate.serial],
    ]
    assert f'href="/danh-gia/{draft.id}"' in html
    assert f'href="/giay-chung-nhan/{certificate.id}"' in html


def test_an_officer_of_the_new_enterprise_does_not_see_the_old_enterprises_years(
    db, rec, make, client, login_as
):
    (worker,) = rec.eligible(("Trần", "Văn", "Bình"))
    rec.issued()
    other = make.enterprise(name="Công ty CP Giày Mới")
    db.query(Employment).filter_by(worker_id=worker.id).one().end_date = date(2026, 2, 28)
    db.add(Employment(worker_id=worker.id, enterprise_id=other.id, start_date=date(2026, 3, 1)))
    worker.current_enterprise_id = other.id
    db.flush()

    login_as(Role.ENTERPRISE, enterprise=other)
    html = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert learning_citizen_rows(html) == []
    assert "Chưa có phiếu đánh giá hay giấy chứng nhận nào." in html

    login_as(Role.ENTERPRISE, enterprise=rec.enterprise)
    html = client.get(f"/nguoi-lao-dong/{worker.id}").get_data(as_text=True)
    assert [row[0] for row in learning_citizen_rows(html)] == ["2025"]
