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
from core.periods import Period, days, legal_date, legal_month, reporting
from core.text import file_part
from core.type_enums import WindowKind
from indicators import present
from indicators.compute import Engine, Result
from indicators.outlook import Outlook, lagging_outlooks
from indicators.scorecard import counts_by_status, scorecard_table
from reports import official
from reports.excel import Book, value_format
from reports.images import status_chart, trend_chart
from storage import report_texts, tasks, unit_reports
from storage.locks import is_locked

log = logging.getLogger(__name__)
CHART_INDICATORS = ("ty_le_truc_tuyen", "ty_le_so_hoa", "ty_le_ket_qua_dien_tu", "ty_le_dung_han")


@dataclass
class ReportFiles:
    docx: Path
    xlsx: Path
    pdf: Path | None = None
    charts: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def lock_note(engine: Engine, period: Period, commune: str | None) -> str:
    communes = [commune] if commune else engine.communes()
    if period.kind not in (WindowKind.MONTH, WindowKind.REPORT):
        return ""
    states = [is_locked(engine.con, c, period.end.replace(day=1)) for c in communes]
    if states and all(states):
        at, by = states[0]  # type: ignore[misc]  # all() held
        return f"Số liệu tháng đã được khóa lúc {at:%H:%M ngày %d/%m/%Y} (người khóa: {by})."
    return "Số liệu tháng chưa được khóa: có thể còn thay đổi khi nhập thêm tệp."


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


def assessment(card: dict[str, Result], outlooks: dict[str, Outlook] | None = None) -> list[str]:
    """The assessment (IV.2 b): every targeted indicator counted (met, on track, behind,
    without data, those named), and for each indicator behind its target the figure as every
    surface says it, what it will take and where most of the shortfall lies."""
    results = list(card.values())
    out = ["- " + present.assessment_counts(results)]
    behind = [r for r in results if r.status.behind]
    for r in sorted(behind, key=lambda r: (r.status.order, r.responsible, r.name)):
        line = f"- {present.sentence(r)[:-1]}; đơn vị chủ trì: {r.responsible}."
        o = (outlooks or {}).get(r.id)
        if o is not None:
            line += " " + o.headline()
            if o.main_contributor():
                line += f" Phần thiếu hụt tập trung ở {o.main_contributor()}."
        elif r.reading:
            line += " " + r.reading
        out.append(line)
    return out


def charts(engine: Engine, period: Period, commune: str | None, folder: Path) -> list[Path]:
    """PNG images of the main charts, drawn without a browser (reports.images)."""
    table = scorecard_table(engine, period, commune, trend_months=0)
    paths = [status_chart(counts_by_status(table)).save(folder / "bieu_do_tinh_trang.png")]
    for ind_id in CHART_INDICATORS:
        ind = engine.catalog.indicators[ind_id]
        paths.append(
            trend_chart(ind, engine.trend(ind_id, period, commune)).save(
                folder / f"bieu_do_{ind_id}.png"
            )
        )
    return paths


@dataclass
class Window:
    """What one report covers: a window of days (by default a month's reporting window, from
    the day after the last cut-off to this one), the commune, and the date it is issued."""

    period: Period
    commune: str | None
    issued: dt.date

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def place(self) -> str:
        return (self.commune or "").removeprefix("Xã ").strip()


def report_period(
    period: Period, end: dt.date | None = None, start: dt.date | None = None
) -> Period:
    """The days a report covers: a month's reporting window unless told otherwise (``end``
    moves its last day, ``start`` its first); a quarter, half-year or year whole."""
    if period.kind == WindowKind.MONTH:
        period = reporting(period.start.year, period.start.month)
    if start is None and end is None:
        return period
    return days(start or period.start, end or period.end)


def window(
    engine: Engine,
    period: Period,
    commune: str | None,
    end: dt.date | None = None,
    issued: dt.date | None = None,
    start: dt.date | None = None,
) -> Window:
    return Window(report_period(period, end, start), commune, issued or dt.date.today())


def report_card(engine: Engine, w: Window) -> dict[str, Result]:
    """Every indicator and report figure over the report's days: the same computation as
    the dashboard's for the same window, so the two cannot disagree."""
    communes = [w.commune] if w.commune else engine.communes()
    return {
        i.id: engine.compute_one(i, w.period, communes) for i in engine.catalog.indicators.values()
    }


SUMMARY = (
    "Kết quả lãnh đạo, chỉ đạo và tổ chức thực hiện Nghị quyết số 57-NQ/TW, ngày "
    "22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học công nghệ, đổi mới sáng "
    "tạo và chuyển đổi số quốc gia"
)


def header_defaults(w: Window) -> dict[str, str]:
    place = w.place or "..."
    return {
        "hdr_co_quan": f"ỦY BAN NHÂN DÂN\nXÃ {place.upper()}",
        "hdr_so_ky_hieu": "Số:       /BC-UBND",
        "hdr_dia_danh": place,
        "hdr_kinh_gui": f"Đảng ủy xã {place}.",
        "hdr_mo_dau": "Ủy ban nhân dân xã báo cáo kết quả triển khai thực hiện như sau:",
        "hdr_noi_nhan": "- Như trên;\n- Lưu: VT.",
        "hdr_tham_quyen": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "hdr_nguoi_ky": "",
    }


def _n(r: Result | None, unit_label: str = "") -> str:
    """A figure as the report prints it, with its unit; «chưa có số liệu» instead of a dash."""
    if r is None or r.value is None:
        return "chưa có số liệu"
    text = fmt.value(r.value, r.unit, r.decimals)
    return f"{text} {unit_label}" if unit_label and r.unit != "percent" else text


def task_lines(t: tasks.Tally, today: dt.date) -> list[str]:
    if not t.total:
        return ["- Chưa có danh mục nhiệm vụ."]
    overdue = len(t.overdue)
    lines = [
        f"- Tổng số nhiệm vụ được giao: {t.total}, trong đó:",
        f"+ Số nhiệm vụ đã hoàn thành {t.done}/{t.total}, tỷ lệ {t.share(t.done)}, trong đó: "
        f"số nhiệm vụ hoàn thành đúng hạn và trước hạn là {t.done_on_time}/{t.done}, số "
        f"nhiệm vụ hoàn thành quá hạn: {t.done_late}.",
        f"+ Số nhiệm vụ đang thực hiện đúng hạn {t.open_on_track}/{t.total}, tỷ lệ "
        f"{t.share(t.open_on_track)}.",
        f"+ Số nhiệm vụ quá hạn chưa hoàn thành: {overdue}, tỷ lệ {t.share(overdue)} "
        f"(tính đến ngày {today:%d/%m/%Y}).",
    ]
    if t.assigned:  # the meetings' conclusions are tasks like the others (issue 20)
        lines.append(
            f"+ Trong tổng số có {t.assigned} nhiệm vụ giao theo kết luận các cuộc "
            f"họp của Ban Chỉ đạo, {t.assigned_overdue} quá hạn chưa hoàn thành."
        )
    for row in t.overdue.itertuples():
        lines.append(
            f"  • {row.tt}. {row.noi_dung} — chủ trì: {row.chu_tri or '(chưa giao)'}; "
            f"hạn {fmt.date(row.han)}."
        )
    return lines


def unit_lines(reg) -> list[str]:
    if reg is None or reg.empty:
        return []
    on_time = reg[reg["trang_thai"] == "dung_han"]
    late = reg[reg["trang_thai"] == "muon"]
    missing = reg[reg["trang_thai"].isin(["qua_han", "chua_den_han"])]
    lines = [
        f"- Báo cáo của các đơn vị (trước ngày {unit_reports.DUE_DAY} hằng tháng): "
        f"{len(on_time)}/{len(reg)} đơn vị báo cáo đúng hạn."
    ]
    if not late.empty:
        lines.append(
            "+ Báo cáo muộn: "
            + "; ".join(f"{r.don_vi} ({r.so_ngay_muon} ngày)" for r in late.itertuples())
            + "."
        )
    if not missing.empty:
        lines.append("+ Chưa báo cáo: " + "; ".join(missing["don_vi"]) + ".")
    return lines


def write_docx(
    engine: Engine,
    period: Period,
    commune: str | None,
    path: Path,
    images: list[Path],
    w: Window | None = None,
    card: dict[str, Result] | None = None,
) -> None:
    """The monthly report in the structure of report 004 (I-V, D) and the format of Nghị định
    30/2020/NĐ-CP: A4, margins 20/20/30/15 mm, Times New Roman 14, the two-column header, page
    numbers from page 2 centred in the top margin, «Nơi nhận» and the signature block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    w = w or Window(period, commune, dt.date.today())
    labels = {i.id: i.unit_label for i in engine.catalog.indicators.values()}
    card = card or report_card(engine, w)

    def fig(key: str) -> str:
        return _n(card.get(key), labels[key])

    def facts(*pairs: tuple[str, str]) -> list[str]:
        """ "- label: figure; label: figure." for the figures of one subject."""
        return ["- " + "; ".join(f"{label}: {fig(key)}" for label, key in pairs) + "."]

    texts = header_defaults(w)
    if commune:
        texts |= report_texts.current(engine.con, commune, w.end.replace(day=1))
    today = min(dt.date.today(), w.end)  # the tasks as the report's last day saw them
    task_count = tasks.tally(
        tasks.list_tasks(
            engine.con, engine.within([commune] if commune else engine.communes()), today
        ),
        today,
    )
    reg = unit_reports.register(engine.con, commune, w.end.replace(day=1)) if commune else None

    # A4, the margins, the type, the page numbers and the paragraph helpers of Nghị định 30:
    # one home for them (reports/official.py), shared with the notice of conclusions
    office = official.Document()
    doc, para, two_columns = office.doc, office.para, office.two_columns

    def body(lines: list[str]) -> None:
        for line in lines:
            para(line, indent=True)

    def has(key: str) -> bool:
        return bool(texts.get(key, "").strip())

    def written(key: str) -> None:
        """The staff's own text; nothing at all when there is none (the official document
        carries no placeholder)."""
        for line in texts.get(key, "").strip().split("\n"):
            if line.strip():
                para(line.strip(), indent=True)

    numbers = {"sub": 0}

    def part(title: str) -> None:
        para(title, bold=True)
        numbers["sub"] = 0

    def sub(title: str) -> None:
        """A numbered heading; numbers follow the headings printed, so a section left out
        for want of content leaves no gap."""
        numbers["sub"] += 1
        para(f"{numbers['sub']}. {title}", bold=True)

    # --- the header: issuing body | national title; number | place and date -------------
    left, right = two_columns((5.8, 10.7))
    issuer = texts["hdr_co_quan"].split("\n")
    first = left.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = first.add_run(issuer[0].strip())
    r.font.size = Pt(13)
    for line in issuer[1:]:
        para(line.strip(), bold=True, center=True, size=13, container=left)
    para("────────", center=True, size=8, container=left)
    para(texts["hdr_so_ky_hieu"], center=True, size=13, container=left)
    top = right.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = top.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    r.bold, r.font.size = True, Pt(13)
    para("Độc lập - Tự do - Hạnh phúc", bold=True, center=True, size=14, container=right)
    para("───────────────", center=True, size=8, container=right)
    para(
        f"{texts['hdr_dia_danh']}, {legal_date(w.issued)}",
        italic=True,
        center=True,
        size=14,
        container=right,
    )

    para("BÁO CÁO", bold=True, center=True)
    para(SUMMARY, bold=True, center=True)
    para(f"(Từ {w.start:%d/%m/%Y} đến {w.end:%d/%m/%Y})", italic=True, center=True)
    para(f"Kính gửi: {texts['hdr_kinh_gui']}", center=True)
    para(texts["hdr_mo_dau"], indent=True)
    if lock_note(engine, w.period, commune).startswith("Số liệu tháng đã được khóa"):
        para(lock_note(engine, w.period, commune), italic=True, indent=True)  # a fact, kept
    # --- I ---------------------------------------------------------------------------------
    part("I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO CỦA UBND XÃ")
    if has("i1_tuyen_truyen"):
        sub("Công tác tuyên truyền, quán triệt Nghị quyết số 57-NQ/TW")
        written("i1_tuyen_truyen")
    if has("i2_van_ban"):
        sub("Các văn bản lãnh đạo, chỉ đạo đã ban hành")
        written("i2_van_ban")
    sub("Tổng kê các nhiệm vụ thực hiện:")
    body(task_lines(task_count, today))
    body(unit_lines(reg))
    written("i3_danh_gia")
    # --- II --------------------------------------------------------------------------------
    part("II. VỀ BẢO ĐẢM NGUỒN NHÂN LỰC")
    sub("Tình hình, kết quả thực hiện")
    body(
        facts(
            ("Nhân sự có chuyên môn chuyên sâu về CNTT", "so_nhan_su_cntt"),
            (
                "số nhân sự chuyên môn CNTT, chuyển đổi số đã được bổ sung",
                "so_nhan_su_cntt_bo_sung",
            ),
        )
    )
    body(
        facts(
            ("Cán bộ, đảng viên được bồi dưỡng kỹ năng số", "ty_le_can_bo_ky_nang_so"),
            ("thực hành kỹ năng AI cơ bản", "ty_le_can_bo_hoc_ai"),
        )
    )
    if has("ii_nhan_luc"):
        sub("Nhận xét, đánh giá")
        written("ii_nhan_luc")
    # --- III -------------------------------------------------------------------------------
    part("III. VỀ TÀI CHÍNH, KINH PHÍ CHO KHOA HỌC CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ")
    sub("Tình hình, kết quả thực hiện")
    body(
        [
            f"Việc đề xuất nhiệm vụ, kinh phí cho khoa học công nghệ, đổi mới sáng tạo, chuyển "
            f"đổi số trong năm {w.end.year}: {fig('kinh_phi_de_xuat')}. Đã "
            f"được phân bổ {fig('kinh_phi_phan_bo')}."
        ]
    )
    if has("iii_kinh_phi"):
        sub("Nhận xét, đánh giá")
        written("iii_kinh_phi")
    # --- IV --------------------------------------------------------------------------------
    part("IV. VỀ CHUYỂN ĐỔI SỐ")
    sub("Về hạ tầng kỹ thuật, công nghệ")
    para("a) Tình hình kết quả thực hiện", bold=True)
    body(
        facts(
            ("Chứng thư số đã cấp", "so_chung_thu_so"),
            ("cán bộ có chữ ký số cá nhân", "ty_le_can_bo_chu_ky_so"),
            ("hồ sơ công việc xử lý trên môi trường điện tử", "ty_le_van_ban_dien_tu"),
            ("phủ sóng 5G (dân số)", "phu_song_5g"),
        )
    )
    if has("iv1_ha_tang"):
        para("b) Nhận xét, đánh giá", bold=True)
        written("iv1_ha_tang")
    sub("Về thủ tục hành chính, dịch vụ công trực tuyến")
    para("a) Tình hình kết quả thực hiện", bold=True)
    body(
        [
            f"- Việc thực hiện thủ tục hành chính (TTHC) và cung cấp dịch vụ công trực tuyến "
            f"từ tháng {legal_month(w.start.month)}/{w.start.year} đến thời điểm báo cáo:",
            f"+ Tổng số TTHC: {fig('so_tthc_tong')}; số lượng TTHC trực tuyến "
            f"toàn trình: {fig('so_tthc_toan_trinh')}, một phần: "
            f"{fig('so_tthc_mot_phan')}, cung cấp thông tin: "
            f"{fig('so_tthc_cung_cap_thong_tin')}.",
        ]
    )
    body(section_iv2(card, w.start, w.end))
    if any(r.whole_months for r in card.values()):
        para(
            f"(Tháng chưa có danh sách hồ sơ được tính theo báo cáo tổng hợp cả tháng, không "
            f"tách riêng theo ngày từ {w.start:%d/%m/%Y} đến {w.end:%d/%m/%Y}.)",
            italic=True,
            indent=True,
        )
    para("(Có phụ lục chi tiết kèm theo).", italic=True, indent=True)
    para("b) Nhận xét, đánh giá", bold=True)
    in_card = {k: r for k, r in card.items() if engine.catalog.indicators[k].in_scorecard}
    body(assessment(in_card, lagging_outlooks(engine, w.period, commune, list(in_card.values()))))
    written("iv2_danh_gia")
    sub("Về việc xây dựng, hình thành hệ thống cơ sở dữ liệu và các nền tảng, ứng dụng số")
    body(
        facts(
            ("Dữ liệu năm 2025 đưa về kho dữ liệu của tỉnh", "ty_le_du_lieu_2025_kho_tinh"),
            ("tài liệu lưu trữ vĩnh viễn được số hóa", "ty_le_so_hoa_tai_lieu_vinh_vien"),
            ("quy trình nghiệp vụ được tái cấu trúc", "ty_le_quy_trinh_tai_cau_truc"),
        )
    )
    written("iv3_phan_mem")
    sub("Về an toàn thông tin, an ninh mạng, bảo mật dữ liệu")
    body(
        facts(
            ("Hệ thống thông tin có hồ sơ cấp độ 2 được phê duyệt", "ty_le_he_thong_cap_do_2"),
            ("máy tính công vụ có phần mềm diệt virus bản quyền", "ty_le_may_diet_virus"),
            ("hệ thống được kiểm tra, đánh giá an toàn", "ty_le_he_thong_kiem_tra_attt"),
        )
    )
    written("iv4_an_toan")
    # --- V, D ------------------------------------------------------------------------------
    part("V. VỀ KHOA HỌC, CÔNG NGHỆ VÀ ĐỔI MỚI SÁNG TẠO")
    sub("Tình hình, kết quả thực hiện")
    body(
        facts(
            (
                "Số lượng doanh nghiệp khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số trên "
                "địa bàn",
                "so_doanh_nghiep_khcn",
            ),
            ("mô hình kinh tế ứng dụng công nghệ mới", "ty_le_mo_hinh_cong_nghe"),
        )
    )
    written("v_khcn")
    if has("d_kien_nghi"):
        part("D. KIẾN NGHỊ, ĐỀ XUẤT")
        written("d_kien_nghi")
    para(
        f"Trên đây là báo cáo kết quả lãnh đạo, chỉ đạo và tổ chức thực hiện Nghị quyết số "
        f"57-NQ/TW (từ {w.start:%d/%m/%Y} đến {w.end:%d/%m/%Y}) của UBND xã "
        f"{w.place or '...'}./.",
        indent=True,
    )

    # --- «Nơi nhận» | the signer --------------------------------------------------------------
    left, right = two_columns((7.5, 8.5))
    label = left.paragraphs[0]
    r = label.add_run("Nơi nhận:")
    r.bold, r.italic, r.font.size = True, True, Pt(12)
    for line in texts["hdr_noi_nhan"].split("\n"):
        para(line, size=11, justify=False, container=left)
    title = texts["hdr_tham_quyen"].split("\n")
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = right.paragraphs[0].add_run(title[0])
    r.bold = True
    for line in title[1:]:
        para(line, bold=True, center=True, container=right)
    para("\n\n\n", center=True, container=right)
    para(texts["hdr_nguoi_ky"] or "", bold=True, center=True, container=right)

    # --- the annex -----------------------------------------------------------------------------
    # the annex starts a page by its own heading: a page break of its own after the signature
    # table could leave a blank page when the table ends at the foot of one
    para("PHỤ LỤC", bold=True, center=True).paragraph_format.page_break_before = True
    para(
        f"Các chỉ số so với chỉ tiêu năm {w.end.year} (từ {w.start:%d/%m/%Y} đến "
        f"{w.end:%d/%m/%Y}) — {commune or 'các xã'}",
        center=True,
    )
    heads = [
        "TT",
        "Chỉ số",
        "Đơn vị chủ trì",
        "Giá trị",
        "Tử số / mẫu số",
        f"Chỉ tiêu {w.end.year}",
        "Tình trạng",
    ]
    table = doc.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, heads, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    shown = [r for k, r in card.items() if engine.catalog.indicators[k].in_scorecard]
    for i, r in enumerate(shown, start=1):
        values = [
            str(i),
            r.name,
            r.responsible,
            present.value(r),
            present.fraction(r),
            present.target(r),
            present.status(r),
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(11)
    if images:
        para("Biểu đồ", bold=True)
        for img in images:
            doc.add_picture(str(img), width=Cm(16))
    doc.save(str(path))


def write_xlsx(
    engine: Engine,
    period: Period,
    commune: str | None,
    path: Path,
    card: dict[str, Result] | None = None,
) -> None:
    """The scorecard of the same days as the Word report (its indicators, not its figures)."""
    w = Window(period, commune, dt.date.today())
    card = card or report_card(engine, w)
    card = {k: r for k, r in card.items() if engine.catalog.indicators[k].in_scorecard}
    as_of = next((r.as_of for r in card.values() if r.as_of is not None), None)
    book = Book(path)
    sheet = book.sheet("Bảng chỉ số")
    book.title(
        sheet, 0, f"Bảng chỉ số — {present.coverage(w.period, as_of)} — {present.commune(commune)}"
    )
    book.put(sheet, 1, 0, lock_note(engine, w.period, commune), "plain")
    heads = [
        "Mã chỉ số",
        "Chỉ số",
        "Nhóm",
        "Đơn vị chủ trì",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        f"Chỉ tiêu {w.end.year}",
        "Tiến độ cần đạt",
        "Tình trạng",
        "Nguồn số liệu",
    ]
    book.row(sheet, 3, heads, "head")
    groups = {i.group: i.group_name for i in engine.catalog.indicators.values()}
    for row, r in enumerate(card.values(), start=4):
        vf = value_format(r.unit, r.decimals)
        book.row(sheet, row, [r.id, r.name, groups.get(r.group, r.group), r.responsible])
        for col, (v, f) in enumerate(
            [(r.value, vf), (r.numerator, "count"), (r.denominator, "count")], start=4
        ):
            book.put(sheet, row, col, v, f)
        book.put(sheet, row, 7, present.target(r))
        book.put(sheet, row, 8, r.expected, vf)
        book.put(sheet, row, 9, present.status(r))
        book.put(sheet, row, 10, present.source(r))
    for first, last, width in ((0, 0, 28), (1, 1, 50), (2, 3, 30), (4, 9, 14), (10, 10, 18)):
        sheet.set_column(first, last, width)
    sheet.freeze_panes(4, 2)
    book.close()


def to_pdf(docx: Path, out_dir: Path) -> Path | None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    pdf = out_dir / (docx.stem + ".pdf")
    return pdf if pdf.exists() else None


def build(
    engine: Engine,
    period: Period,
    commune: str | None,
    out_dir: Path,
    *,
    with_charts: bool = True,
    with_pdf: bool = True,
    end: dt.date | None = None,
    issued: dt.date | None = None,
    start: dt.date | None = None,
) -> ReportFiles:
    # ``period`` is the report's window as chosen (``window`` turns a month into its
    # reporting window at the edges: the page and the command line)
    w = Window(
        period
        if start is None and end is None
        else days(start or period.start, end or period.end),  # wrong days: refused
        commune,
        issued or dt.date.today(),
    )
    period = w.period
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    slug = file_part(commune or "tat_ca", "xa")  # a commune named «A/B» stays one name
    # a reporting window is named by its month (bao_cao_2026-03_...), other days by both ends
    code = {
        WindowKind.REPORT: period.end.strftime("%Y-%m"),
        WindowKind.DAYS: f"{period.start:%Y%m%d}-{period.end:%Y%m%d}",
    }.get(period.kind, period.code)
    stem = f"bao_cao_{code}_{slug}"
    notes: list[str] = []
    images: list[Path] = []
    if with_charts:
        try:
            images = charts(engine, period, commune, out_dir)
        except Exception as exc:  # a missing browser must not cost the report its numbers
            log.warning("charts not rendered: %s", exc)
            notes.append("Không vẽ được biểu đồ; báo cáo không có hình.")
    card = report_card(engine, w)
    docx = out_dir / f"{stem}.docx"
    write_docx(engine, period, commune, docx, images, w, card)
    xlsx = out_dir / f"bang_chi_so_{code}_{slug}.xlsx"
    write_xlsx(engine, period, commune, xlsx, card)
    pdf = None
    if with_pdf:
        try:
            pdf = to_pdf(docx, out_dir)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("PDF not produced: %s", exc)
        if pdf is None:
            notes.append("Không tạo được PDF (cần LibreOffice).")
    return ReportFiles(docx, xlsx, pdf, images, notes)
