"""«Thông báo kết luận» of a meeting, as Word (and PDF through LibreOffice), in the format of
Nghị định 30/2020/NĐ-CP like Thông báo 294/TB-VP that Công văn 001 carries out: the issuing
body and the national title, number, place and date, «THÔNG BÁO — Kết luận của đồng chí …
tại cuộc họp … ngày …», the conclusions numbered with their assignments ("6 rõ"), «Nơi
nhận» and the signer."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core import formatting as fmt
from core.periods import PeriodError, parse
from reports.official import Document
from reports.report import to_pdf
from storage.meetings import Conclusion, Meeting


@dataclass(frozen=True)
class NoticeHead:
    """What the secretary sets for one notice; defaults from the commune's name."""

    issuer: str
    number: str
    place: str
    issued: dt.date
    authority: str
    signer: str
    recipients: str


def default_head(meeting: Meeting, issued: dt.date | None = None) -> NoticeHead:
    place = meeting.commune.removeprefix("Xã ").strip() or "..."
    return NoticeHead(
        issuer=f"ỦY BAN NHÂN DÂN\nXÃ {place.upper()}",
        number="Số:       /TB-UBND",
        place=place,
        issued=issued or dt.date.today(),
        authority="TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG",
        signer="",
        recipients="- Thành viên Ban Chỉ đạo xã;\n- Các cơ quan, đơn vị được giao nhiệm vụ;\n"
        "- Lưu: VT.",
    )


def title_line(meeting: Meeting) -> str:
    return (
        f"Kết luận của đồng chí {meeting.chair} tại cuộc {meeting.kind.label} của Ban Chỉ "
        f"đạo xã ngày {meeting.day:%d/%m/%Y}"
    )


def _window(meeting: Meeting) -> str:
    if not meeting.period_code:
        return ""
    try:
        return f" để đánh giá kết quả thực hiện {parse(meeting.period_code).label.lower()}"
    except PeriodError:
        return ""


def assignment_line(row: dict, letter: str) -> str:
    """«a) Phòng Văn hóa - Xã hội (đồng chí …) chủ trì, phối hợp với …: nội dung. Sản phẩm: …
    Thời hạn: trước ngày …. Thẩm quyền quyết định: ….»"""
    lead = str(row["chu_tri"])
    person = row.get("nguoi_chu_tri")
    if isinstance(person, str) and person.strip():
        lead += f" (đồng chí {person.strip()})"
    line = f"{letter}) {lead} chủ trì"
    partners = row.get("phoi_hop")
    if isinstance(partners, str) and partners.strip():
        line += f", phối hợp với {partners.strip()}"
    line += f": {str(row['noi_dung']).rstrip('.')}."
    product = row.get("san_pham")
    if isinstance(product, str) and product.strip():
        line += f" Sản phẩm: {product.strip().rstrip('.')}."
    due = row.get("han")
    if isinstance(due, dt.date):
        line += f" Thời hạn: trước ngày {fmt.date(due)}."
    decides = row.get("tham_quyen")
    if isinstance(decides, str) and decides.strip():
        line += f" Thẩm quyền quyết định: {decides.strip().rstrip('.')}."
    return line


def write_docx(
    meeting: Meeting, conclusions: list[Conclusion], head: NoticeHead, path: Path
) -> Path:
    d = Document()
    d.header(head.issuer, head.number, head.place, head.issued)
    d.para("")
    d.para("THÔNG BÁO", bold=True, center=True)
    d.para(title_line(meeting), bold=True, center=True)
    d.para("───────", center=True, size=8)
    where = f", tại {meeting.place}" if meeting.place else ""
    opening = (
        f"Ngày {meeting.day:%d/%m/%Y}{where}, đồng chí {meeting.chair} chủ trì cuộc "
        f"{meeting.kind.label} của Ban Chỉ đạo xã về khoa học, công nghệ, đổi mới sáng "
        f"tạo, chuyển đổi số, cải cách hành chính và Đề án 06{_window(meeting)}."
    )
    d.para(opening, indent=True)
    if meeting.members:
        d.para("Tham dự cuộc họp có: " + "; ".join(meeting.members) + ".", indent=True)
    d.para(
        f"Sau khi nghe báo cáo và ý kiến của các thành viên, đồng chí {meeting.chair} kết "
        "luận như sau:",
        indent=True,
    )
    if not conclusions:
        d.para("Cuộc họp chưa có kết luận nào được ghi.", italic=True, indent=True)
    letters = "abcdefghiklmnopqrstuvxy"
    for c in conclusions:
        d.para(f"{c.number}. {c.text.strip()}", indent=True)
        rows = c.assignments.to_dict("records") if not c.assignments.empty else []
        for i, row in enumerate(rows):
            d.para(assignment_line(row, letters[i % len(letters)]), indent=True)
    d.para(
        f"{head.issuer.split(chr(10))[0].strip().capitalize()} xã {head.place} thông báo để "
        "các cơ quan, đơn vị biết, thực hiện./.",
        indent=True,
    )
    d.closing(head.recipients, head.authority, head.signer)
    d.save(path)
    return path


@dataclass(frozen=True)
class NoticeFiles:
    docx: bytes
    pdf: bytes | None
    stem: str


def build(
    meeting: Meeting, conclusions: list[Conclusion], head: NoticeHead, with_pdf: bool = True
) -> NoticeFiles:
    """The notice as bytes (Word, and PDF where LibreOffice is installed)."""
    stem = f"thong_bao_ket_luan_{meeting.day:%Y%m%d}_cuoc_hop_{meeting.id}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        docx = write_docx(meeting, conclusions, head, folder / f"{stem}.docx")
        pdf = to_pdf(docx, folder) if with_pdf else None
        return NoticeFiles(docx.read_bytes(), pdf.read_bytes() if pdf else None, stem)


def text_of(docx: bytes) -> str:
    """The notice's paragraphs and table cells as text (tests, previews)."""
    from docx import Document as open_document  # noqa: N813 - a factory

    doc = open_document(io.BytesIO(docx))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for cell in table._cells:
            parts += [p.text for p in cell.paragraphs]
    return "\n".join(parts)
