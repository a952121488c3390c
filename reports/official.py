"""The shape of an administrative document under Nghị định 30/2020/NĐ-CP, shared by the
documents kpi-xa writes besides the monthly report: A4, margins 20/20/30/15 mm, Times New
Roman 14, page numbers from page 2 centred in the top margin, the two-column header (issuing
body and number | national title and place/date), «Nơi nhận» and the signature block."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from core.periods import legal_date

FONT_NAME = "Times New Roman"  # LibreOffice substitutes the metric-compatible Liberation Serif
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def vn_date(day: dt.date) -> str:
    """«ngày 05 tháng 02 năm 2026», «ngày 18 tháng 3 năm 2026» (core.periods.legal_date)."""
    return legal_date(day)


# what XML 1.0 (and so Word) cannot hold: dropped before a text reaches the document
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class Document:
    """A python-docx document set up in the state's format, with the paragraph helpers."""

    def __init__(self) -> None:
        from docx import Document as new_document  # noqa: N813 - a factory
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm, Pt

        self.doc = new_document()
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = FONT_NAME, Pt(14)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        section.header_distance = Mm(10)
        # page numbers from page 2, centred in the top margin
        section.different_first_page_header_footer = True
        number = section.header.paragraphs[0]
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text_el = OxmlElement("w:t")
        text_el.text = "2"
        run.append(text_el)
        field.append(run)
        number._p.append(field)

    def para(
        self,
        text: str = "",
        *,
        bold: bool = False,
        italic: bool = False,
        center: bool = False,
        size: float | None = None,
        indent: bool = False,
        justify: bool = True,
        container: Any = None,
    ) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        p = (container or self.doc).add_paragraph()
        for i, line in enumerate(xml_text(text).split("\n")):
            if i:
                p.add_run().add_break()
            r = p.add_run(line)
            r.bold, r.italic = bold, italic
            if size:
                r.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif justify:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        return p

    def two_columns(self, widths: tuple[float, float]) -> Any:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Cm

        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, cell, width in zip(table.columns, table.rows[0].cells, widths, strict=True):
            column.width = cell.width = Cm(width)  # the grid (LibreOffice) and the cell (Word)
        return table.rows[0].cells

    def header(self, issuer: str, number: str, place: str, issued: dt.date) -> None:
        """Issuing body (its parent plain, itself bold) and number | national title, motto
        and «Địa danh, ngày ... tháng ... năm ...»."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        left, right = self.two_columns((5.8, 10.7))
        lines = [x.strip() for x in issuer.split("\n") if x.strip()] or ["..."]
        first = left.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run(xml_text(lines[0])).font.size = Pt(13)
        for line in lines[1:]:
            self.para(line, bold=True, center=True, size=13, container=left)
        self.para("────────", center=True, size=8, container=left)
        self.para(number, center=True, size=13, container=left)
        top = right.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = top.add_run(NATIONAL_TITLE)
        r.bold, r.font.size = True, Pt(13)
        self.para(MOTTO, bold=True, center=True, size=14, container=right)
        self.para("───────────────", center=True, size=8, container=right)
        self.para(f"{place}, {vn_date(issued)}", italic=True, center=True, size=14, container=right)

    def closing(self, recipients: str, authority: str, signer: str) -> None:
        """«Nơi nhận» (12 pt, the list 11 pt) | the authority and the signer's name."""
        left, right = self.two_columns((7.5, 9.0))
        p = left.paragraphs[0]
        r = p.add_run("Nơi nhận:")
        r.bold, r.italic = True, True
        from docx.shared import Pt

        r.font.size = Pt(12)
        self.para(recipients, size=11, justify=False, container=left)
        top = right.paragraphs[0]
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = top.add_run(xml_text(authority.split("\n")[0]))
        r.bold = True
        for line in authority.split("\n")[1:]:
            self.para(line, bold=True, center=True, container=right)
        self.para("\n\n\n", center=True, container=right)
        self.para(signer or "", bold=True, center=True, container=right)

    def save(self, path: Any) -> None:
        self.doc.save(path)
