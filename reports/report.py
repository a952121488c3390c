"""The monthly report: a Word document in the shape of report 004's section IV.2, an annex of
every indicator against its 2026 target, the main charts as images; the scorecard as an
Excel workbook; a PDF where LibreOffice is installed. Every number is computed, never typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from core import formatting as fmt
from core.periods import Period
from indicators.compute import Engine, Result
from indicators.scorecard import counts_by_status, scorecard_table
from indicators.status import STATUS_LABELS
from reports.charts import status_figure, trend_figure
from reports.excel import Book, value_format
from storage.locks import is_locked

log = logging.getLogger(__name__)
CHART_INDICATORS = ("ty_le_truc_tuyen", "ty_le_so_hoa", "ty_le_ket_qua_dien_tu",
                    "ty_le_dung_han")


@dataclass
class ReportFiles:
    docx: Path
    xlsx: Path
    pdf: Path | None = None
    charts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def lock_note(engine: Engine, period: Period, commune: str | None) -> str:
    communes = [commune] if commune else engine.communes()
    if period.kind != "month":
        return ""
    states = [is_locked(engine.con, c, period.start) for c in communes]
    if states and all(states):
        at, by = states[0]  # type: ignore[misc]  # all() held
        return f"Số liệu tháng đã được khóa lúc {at:%H:%M ngày %d/%m/%Y} (người khóa: {by})."
    return "Số liệu tháng chưa được khóa: có thể còn thay đổi khi nhập thêm tệp."


def _card(engine: Engine, period: Period, commune: str | None) -> dict[str, Result]:
    return {r.id: r for r in engine.scorecard(period, commune)}


def _pct(r: Result) -> str:
    return fmt.percent(r.value)


def section_iv2(card: dict[str, Result], start: dt.date, end: dt.date) -> list[str]:
    """The lines of section IV.2 a), computed from the scorecard."""
    received, online = card["ho_so_tiep_nhan"], card["ty_le_truc_tuyen"]
    full, digit = card["ty_le_toan_trinh"], card["ty_le_so_hoa"]
    result, reuse = card["ty_le_ket_qua_dien_tu"], card["ty_le_tai_su_dung"]
    ontime, late, happy = card["ty_le_dung_han"], card["ty_le_qua_han"], card["ty_le_hai_long"]
    n = fmt.number
    return [
        f"+ Tổng số hồ sơ tiếp nhận theo kỳ báo cáo (từ {start:%d/%m/%Y} đến "
        f"{end:%d/%m/%Y}): {n(received.value)} hồ sơ",
        f"- Số lượng hồ sơ trực tuyến: {n(online.numerator)} hồ sơ, tỷ lệ: {_pct(online)}",
        f"- Số lượng hồ sơ trực tuyến toàn trình: {n(full.numerator)} hồ sơ, tỷ lệ: "
        f"{_pct(full)} (trên số hồ sơ trực tuyến)",
        "- Việc số hóa, cấp kết quả điện tử và tái sử dụng dữ liệu:",
        f"+ Tỷ lệ số hóa: {_pct(digit)} ({n(digit.numerator)}/{n(digit.denominator)} hồ sơ)",
        f"+ Tỷ lệ cấp kết quả điện tử: {_pct(result)} ({n(result.numerator)}/"
        f"{n(result.denominator)} hồ sơ)",
        f"+ Tỷ lệ tái sử dụng dữ liệu: {_pct(reuse)} ({n(reuse.numerator)}/"
        f"{n(reuse.denominator)} hồ sơ)",
        f"- Tỷ lệ giải quyết đúng hạn: {_pct(ontime)}; tỷ lệ hồ sơ quá hạn: {_pct(late)} "
        f"({n(late.numerator)} hồ sơ)",
        f"- Tỷ lệ hài lòng: {_pct(happy)} ({n(happy.numerator)}/{n(happy.denominator)} "
        "lượt đánh giá)",
    ]


def assessment(card: dict[str, Result]) -> list[str]:
    behind = [r for r in card.values() if r.status in ("cham", "gan_dat")]
    met = [r for r in card.values() if r.status == "dat"]
    out = [f"- Có {len(met)} chỉ số đạt chỉ tiêu năm 2026, {len(behind)} chỉ số chưa đạt."]
    for r in sorted(behind, key=lambda r: (r.status != "cham", r.responsible)):
        out.append(f"- {r.name}: {fmt.value(r.value, r.unit, r.decimals)}, chỉ tiêu "
                   f"{fmt.value(r.target, r.unit, r.decimals)} ({STATUS_LABELS[r.status]}); "
                   f"đơn vị chủ trì: {r.responsible}.")
    return out


def charts(engine: Engine, period: Period, commune: str | None, folder: Path) -> list[Path]:
    """PNG images of the main charts (kaleido drives the installed Chromium)."""
    import plotly.io as pio


    table = scorecard_table(engine, period, commune, trend_months=0)
    figures = [("tinh_trang", status_figure(counts_by_status(table)))]
    for ind_id in CHART_INDICATORS:
        ind = engine.catalog.indicators[ind_id]
        figures.append((ind_id, trend_figure(ind, engine.trend(ind_id, period, commune))))
    paths = []
    for name, fig in figures:
        path = folder / f"bieu_do_{name}.png"
        path.write_bytes(pio.to_image(fig, format="png", width=1200, height=560, scale=1))
        paths.append(path)
    return paths


def write_docx(engine: Engine, period: Period, commune: str | None, path: Path,
               images: list[Path]) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    card = _card(engine, period, commune)
    communes = [commune] if commune else engine.communes()
    end = engine.period_end(period, communes) or period.end
    place = commune or "các xã"
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(2)

    def para(text: str, *, bold: bool = False, center: bool = False, italic: bool = False):
        p = doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    para(f"ỦY BAN NHÂN DÂN {place.upper()}", bold=True)
    para("Số:      /BC-UBND")
    para(f"{(commune or '').replace('Xã ', '') or 'Ngày'}, ngày {dt.date.today():%d} tháng "
         f"{dt.date.today():%m} năm {dt.date.today():%Y}", italic=True)
    para("BÁO CÁO", bold=True, center=True)
    para("Kết quả thực hiện các chỉ tiêu khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số, "
         "cải cách hành chính và Đề án 06 năm 2026", bold=True, center=True)
    para(f"({period.label}: từ {period.start:%d/%m/%Y} đến {end:%d/%m/%Y})", center=True)
    note = lock_note(engine, period, commune)
    if note:
        para(note, italic=True)
    para("IV. VỀ CHUYỂN ĐỔI SỐ", bold=True)
    para("2. Về thủ tục hành chính, dịch vụ công trực tuyến", bold=True)
    para("a) Tình hình kết quả thực hiện", bold=True)
    for line in section_iv2(card, period.start, end):
        para(line)
    para("(Có phụ lục chi tiết kèm theo).", italic=True)
    para("b) Nhận xét, đánh giá", bold=True)
    for line in assessment(card):
        para(line)
    if images:
        para("Biểu đồ", bold=True)
        for img in images:
            doc.add_picture(str(img), width=Cm(16))
    doc.add_page_break()
    para("PHỤ LỤC", bold=True, center=True)
    para(f"Các chỉ số so với chỉ tiêu năm 2026 — {period.label}, {place}", center=True)
    heads = ["TT", "Chỉ số", "Đơn vị chủ trì", "Giá trị", "Tử số / mẫu số", "Chỉ tiêu 2026",
             "Tình trạng"]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, r in enumerate(card.values(), start=1):
        frac = "—" if r.numerator is None else (
            fmt.number(r.numerator) if r.denominator is None
            else f"{fmt.number(r.numerator)} / {fmt.number(r.denominator)}")
        values = [str(i), r.name, r.responsible, fmt.value(r.value, r.unit, r.decimals), frac,
                  fmt.value(r.target, r.unit, r.decimals), STATUS_LABELS[r.status]]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    doc.save(str(path))


def write_xlsx(engine: Engine, period: Period, commune: str | None, path: Path) -> None:
    card = _card(engine, period, commune)
    book = Book(path)
    sheet = book.sheet("Bảng chỉ số")
    book.title(sheet, 0, f"Bảng chỉ số — {period.label} — {commune or 'Tất cả các xã'}")
    book.put(sheet, 1, 0, lock_note(engine, period, commune), "plain")
    heads = ["Mã chỉ số", "Chỉ số", "Nhóm", "Đơn vị chủ trì", "Giá trị", "Tử số", "Mẫu số",
             "Chỉ tiêu 2026", "Tiến độ cần đạt", "Tình trạng", "Nguồn số liệu"]
    book.row(sheet, 3, heads, "head")
    groups = {i.group: i.group_name for i in engine.catalog.indicators.values()}
    for row, r in enumerate(card.values(), start=4):
        vf = value_format(r.unit, r.decimals)
        book.row(sheet, row, [r.id, r.name, groups.get(r.group, r.group), r.responsible])
        for col, (v, f) in enumerate([(r.value, vf), (r.numerator, "count"),
                                      (r.denominator, "count"), (r.target, vf),
                                      (r.expected, vf)], start=4):
            book.put(sheet, row, col, v, f)
        book.put(sheet, row, 9, STATUS_LABELS[r.status])
        book.put(sheet, row, 10, {"ho_so": "Danh sách hồ sơ", "bao_cao": "Báo cáo tổng hợp",
                                  "nhap_tay": "Nhập tay"}.get(r.source or "", "—"))
    for first, last, width in ((0, 0, 28), (1, 1, 50), (2, 3, 30), (4, 9, 14), (10, 10, 18)):
        sheet.set_column(first, last, width)
    sheet.freeze_panes(4, 2)
    book.close()


def to_pdf(docx: Path, out_dir: Path) -> Path | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                       check=True, capture_output=True, timeout=180)
    pdf = out_dir / (docx.stem + ".pdf")
    return pdf if pdf.exists() else None


def build(engine: Engine, period: Period, commune: str | None, out_dir: Path, *,
          with_charts: bool = True, with_pdf: bool = True) -> ReportFiles:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = (commune or "tat_ca").replace(" ", "_")
    stem = f"bao_cao_{period.code}_{slug}"
    notes: list[str] = []
    images: list[Path] = []
    if with_charts:
        try:
            images = charts(engine, period, commune, out_dir)
        except Exception as exc:  # a missing browser must not cost the report its numbers
            log.warning("charts not rendered: %s", exc)
            notes.append("Không vẽ được biểu đồ (cần Chromium cho kaleido); báo cáo không có "
                         "hình.")
    docx = out_dir / f"{stem}.docx"
    write_docx(engine, period, commune, docx, images)
    xlsx = out_dir / f"bang_chi_so_{period.code}_{slug}.xlsx"
    write_xlsx(engine, period, commune, xlsx)
    pdf = None
    if with_pdf:
        try:
            pdf = to_pdf(docx, out_dir)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("PDF not produced: %s", exc)
        if pdf is None:
            notes.append("Không tạo được PDF (cần LibreOffice).")
    return ReportFiles(docx, xlsx, pdf, images, notes)

