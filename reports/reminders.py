"""A unit's reminder as text to paste into Zalo or send by e-mail, and the e-mail itself
(sent only when a person presses send, through the SMTP server set in the settings)."""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from email.message import EmailMessage

from core import formatting as fmt
from core import settings
from core.errors import BadInput
from indicators.reminders import HORIZON_DAYS, UnitReminder

KINDS = {
    "nhiem_vu": "Nhiệm vụ",
    "viec_giao": "Việc giao theo kết luận cuộc họp",
    "bao_cao": "Báo cáo tháng",
}


def text(r: UnitReminder, commune: str, today: dt.date, days: int = HORIZON_DAYS) -> str:
    lines = [
        f"Kính gửi: {r.unit}",
        f"Văn phòng Ban Chỉ đạo {commune} nhắc các việc của đơn vị (tính đến ngày "
        f"{fmt.date(today)}):",
    ]
    if r.late:
        lines.append("ĐÃ QUÁ HẠN:")
        lines += [
            f"- {KINDS[i.kind]} {i.ref}: {i.text} — hạn {fmt.date(i.due)}, quá "
            f"{i.days(today)} ngày."
            for i in r.late
        ]
    if r.due_soon:
        lines.append(f"ĐẾN HẠN TRONG {days} NGÀY TỚI:")
        lines += [
            f"- {KINDS[i.kind]} {i.ref}: {i.text} — hạn {fmt.date(i.due)}"
            + (" (hôm nay)." if i.days(today) == 0 else f" (còn {i.days(today)} ngày).")
            for i in r.due_soon
        ]
    lines.append("Đề nghị đơn vị hoàn thành và báo cáo kết quả về Văn phòng.")
    return "\n".join(lines)


class MailError(BadInput):
    pass


def mail_configured() -> bool:
    return bool(settings.text("smtp_host")) and bool(settings.text("smtp_from"))


def send(to: str, subject: str, body: str) -> None:
    """One e-mail through the configured SMTP server; a Vietnamese error when it fails."""
    to = (to or "").strip()
    if "@" not in to or any(c in to for c in "\r\n,; "):
        raise MailError(
            f"địa chỉ thư «{to}» không hợp lệ (một địa chỉ, ví dụ phongkinhte@dienchau.gov.vn)"
        )
    if not mail_configured():
        raise MailError("chưa khai báo máy chủ thư (KPI_SMTP_HOST, KPI_SMTP_FROM)")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.text("smtp_from"), to, subject
    msg.set_content(body)
    host, port = settings.text("smtp_host"), settings.number("smtp_port")
    try:
        with smtplib.SMTP(host, port, timeout=30) as smtp:
            if settings.flag("smtp_tls"):
                smtp.starttls(context=ssl.create_default_context())
            if settings.text("smtp_user"):
                smtp.login(settings.text("smtp_user"), settings.text("smtp_password"))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(
            f"không gửi được thư tới {to} qua máy chủ {host}:{port} "
            f"({type(exc).__name__}); thư chưa được gửi, kiểm tra cấu hình máy "
            "chủ thư rồi gửi lại"
        ) from None
