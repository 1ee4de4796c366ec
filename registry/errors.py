"""Domain errors raised by services, and the HTTP error pages."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from registry.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule refused a change.  Carries a general message and/or messages per form field.

    Services raise it; routes put field messages on the form and flash the general one.
    """

    def __init__(self, message: str = "", **fields: str) -> None:
        self.message = message
        self.fields = fields
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()))

    @property
    def messages(self) -> list[str]:
        """Every message, general first, for places without a form (CLI, imports)."""
        return ([self.message] if self.message else []) + list(self.fields.values())


#: Flask-WTF's CSRF refusals, in Vietnamese.
CSRF_MESSAGES = {
    "The CSRF token is missing.": "Thiếu mã bảo vệ biểu mẫu; hãy tải lại trang và gửi lại.",
    "The CSRF token is invalid.": "Mã bảo vệ biểu mẫu không hợp lệ; hãy tải lại trang.",
    "The CSRF token has expired.": "Biểu mẫu đã hết hạn; hãy tải lại trang và gửi lại.",
    "The CSRF session token is missing.": "Phiên làm việc đã hết; hãy tải lại trang và gửi lại.",
    "The CSRF tokens do not match.": "Mã bảo vệ biểu mẫu không khớp; hãy tải lại trang.",
}

ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    405: "Thao tác không được phép",
    413: "Tệp quá lớn",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
}
ERROR_TEXTS = {
    400: "Yêu cầu gửi lên không hợp lệ. Hãy tải lại trang và thử lại.",
    403: "Tài khoản của bạn không có quyền thực hiện thao tác này.",
    404: "Trang hoặc hồ sơ bạn tìm không tồn tại, hoặc nằm ngoài phạm vi bạn được xem.",
    405: "Thao tác này không được phép với trang này.",
    413: "Tệp tải lên vượt quá dung lượng cho phép.",
    429: "Bạn đã thử quá nhiều lần. Hãy đợi một lát rồi thử lại.",
    500: "Đã có lỗi không mong muốn. Dữ liệu chưa được lưu; hãy thử lại hoặc báo quản trị viên.",
}


def _render(code: int, text: str | None = None):
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=ERROR_TITLES.get(code, "Lỗi"),
            text=text or ERROR_TEXTS.get(code, ""),
        ),
        code,
    )


NUL_MESSAGE = ("Dữ liệu gửi lên có ký tự NUL (mã 0) không hợp lệ; hãy gõ lại nội dung, đừng dán từ "
               "tệp nhị phân.")


def register_error_handlers(app: Flask) -> None:
    """Vietnamese pages for HTTP errors; a rollback before rendering an unexpected error."""

    @app.before_request
    def _refuse_nul_bytes():
        # No field of the registry may hold a NUL byte, and PostgreSQL refuses one in any text
        # parameter: refuse it at the door instead of failing in whichever query meets it.
        values = [*request.args.values(), *(request.form.values() if request.form else ())]
        if any("\x00" in value for value in values):
            return _render(400, NUL_MESSAGE)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        return _render(400, CSRF_MESSAGES.get(exc.description, ERROR_TEXTS[400]))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code in ERROR_TITLES:
            db.session.rollback()
            return _render(exc.code)
        return exc

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        db.session.rollback()
        log.exception("Unhandled error")
        if app.testing and app.config.get("PROPAGATE_UNEXPECTED", True):
            raise exc
        return _render(500)
