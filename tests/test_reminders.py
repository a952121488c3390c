"""Reminders per unit, counted by hand, and the e-mail read back from a real local SMTP
server (a small one written here with asyncio: aiosmtpd is not installed)."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import threading
from email import policy

import pytest

from indicators.reminders import reminders
from reports.reminders import MailError, send, text
from storage import unit_reports
from tests.test_ranking import OTHER, _other_commune

TODAY = dt.date(2026, 10, 19)
UNITS = set(unit_reports.units())


class SmtpServer:
    """Speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, QUIT) and keeps what arrived."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._session, "127.0.0.1", 0)
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.ready.set()
        self.loop.run_forever()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        def say(line: str) -> None:
            writer.write((line + "\r\n").encode())

        say("220 localhost kiem thu")
        sender, rcpts = "", []
        while line := (await reader.readline()).decode(errors="replace").strip():
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                say("250 localhost")
            elif verb == "MAIL":
                sender = line.split(":", 1)[1].strip(" <>")
                say("250 OK")
            elif verb == "RCPT":
                rcpts.append(line.split(":", 1)[1].strip(" <>"))
                say("250 OK")
            elif verb == "DATA":
                say("354 go on")
                await writer.drain()
                data = b""
                while (chunk := await reader.readline()) != b".\r\n":
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.received.append((sender, rcpts, data))
                sender, rcpts = "", []
                say("250 OK")
            elif verb == "QUIT":
                say("221 bye")
                await writer.drain()
                break
            else:
                say("250 OK")
            await writer.drain()
        writer.close()

    def __enter__(self) -> SmtpServer:
        self.thread.start()
        assert self.ready.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(30)


def test_each_unit_gets_exactly_its_due_and_late_items(con):
    _other_commune(con)
    found = reminders(con, OTHER, TODAY)
    # every reporting unit still owes September's report (due 18/09)
    assert set(found) >= UNITS
    for unit in UNITS:
        refs = [(i.kind, i.ref) for i in found[unit].late]
        assert ("bao_cao", "09/2026") in refs
        october = ("bao_cao", "10/2026") in refs
        # October's (due 18/10): Phòng Kinh tế sent it 17/10, Công an xã 20/10
        assert october == (unit not in ("Phòng Kinh tế", "Công an xã")), unit
    kt = found["Phòng Kinh tế"]
    assert [(i.kind, i.due) for i in kt.due_soon] == [("viec_giao", dt.date(2026, 10, 20))]
    assert [(i.kind, i.ref) for i in kt.late] == [("bao_cao", "09/2026")]
    # done, or due after the next 7 days: nothing
    assert "Ban Xây dựng Đảng" not in found
    assert not found["Công an xã"].due_soon
    body = text(kt, OTHER, TODAY)
    assert body.splitlines()[0] == "Kính gửi: Phòng Kinh tế"
    assert (
        "- Báo cáo tháng 09/2026: Báo cáo kết quả thực hiện tháng 09/2026 — hạn "
        "18/09/2026, quá 31 ngày." in body
    )
    assert "(còn 1 ngày)." in body


def test_the_email_arrives_at_a_real_smtp_server(con, monkeypatch):
    _other_commune(con)
    kt = reminders(con, OTHER, TODAY)["Phòng Kinh tế"]
    body = text(kt, OTHER, TODAY)
    with pytest.raises(MailError, match="chưa khai báo máy chủ thư"):
        send("kt@hungnguyen.gov.vn", "Nhắc việc", body)
    with SmtpServer() as server:
        monkeypatch.setenv("KPI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("KPI_SMTP_PORT", str(server.port))
        monkeypatch.setenv("KPI_SMTP_TLS", "0")
        monkeypatch.setenv("KPI_SMTP_FROM", "vanphong@hungnguyen.gov.vn")
        with pytest.raises(MailError, match="không hợp lệ"):
            send("a@b.vn\r\nBcc: x@y.vn", "Nhắc việc", body)
        assert server.received == []  # nothing sent for a refused address
        send("kt@hungnguyen.gov.vn", "Nhắc việc — Phòng Kinh tế", body)
    ((sender, rcpts, data),) = server.received
    assert sender == "vanphong@hungnguyen.gov.vn" and rcpts == ["kt@hungnguyen.gov.vn"]
    msg = email.message_from_bytes(data, policy=policy.default)
    assert msg["Subject"] == "Nhắc việc — Phòng Kinh tế"
    assert msg.get_content().strip() == body.strip()


def test_a_server_that_is_not_there_is_said_in_vietnamese(monkeypatch):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("KPI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("KPI_SMTP_PORT", str(port))
    monkeypatch.setenv("KPI_SMTP_FROM", "vanphong@xa.gov.vn")
    with pytest.raises(MailError, match=r"không gửi được thư tới a@b\.vn"):
        send("a@b.vn", "x", "y")


def test_the_page_sends_only_when_a_person_presses_send(samples_db, tmp_path, monkeypatch):
    import shutil

    from tests.conftest import COMMUNE
    from tests.test_app_pages import open_page

    path = tmp_path / "samples.duckdb"
    shutil.copy(samples_db, path)
    monkeypatch.setenv("KPI_DB", str(path))
    with SmtpServer() as server:
        monkeypatch.setenv("KPI_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("KPI_SMTP_PORT", str(server.port))
        monkeypatch.setenv("KPI_SMTP_TLS", "0")
        monkeypatch.setenv("KPI_SMTP_FROM", "vanphong@dienchau.gov.vn")
        at = open_page("nhac_viec", xa=COMMUNE)
        assert not at.exception, at.exception
        assert at.code and at.code[0].value.startswith("Kính gửi: ")
        assert server.received == []  # opening the page sends nothing
        at.text_input(key="thu_0").input("donvi@dienchau.gov.vn")
        at.button(key="gui_0").click().run()
        assert not at.exception, at.exception
        # the Markdown the page writes: «\@» shows as «@» and keeps the address from
        # becoming a mailto link (core.text.plain_markdown)
        assert [s.value for s in at.success] == ["Đã gửi thư tới donvi\\@dienchau.gov.vn."]
    ((_, rcpts, data),) = server.received
    assert rcpts == ["donvi@dienchau.gov.vn"]
    from storage.database import connect

    con = connect(path)
    try:
        (line,) = con.execute(
            "SELECT chi_tiet FROM nhat_ky WHERE hanh_dong = 'gui_nhac_viec'"
        ).fetchall()
    finally:
        con.close()
    assert "donvi@dienchau.gov.vn" in line[0]
    body = email.message_from_bytes(data, policy=policy.default).get_content()
    assert body.strip() == at.code[0].value.strip()
