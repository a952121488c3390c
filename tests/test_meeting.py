"""Meeting mode's content: a slide for the overview, every lagging or close indicator with
what it will take, the overdue cases, the tasks and the late unit reports; no table longer
than a projector shows; the same slides as one PDF for a projector PC without the network."""

from __future__ import annotations

import re

import pytest

from core.periods import parse
from indicators.compute import Engine
from indicators.slides import ROWS, deck
from reports.slides_pdf import deck_pdf
from storage import tasks
from storage.database import connect
from tests.conftest import COMMUNE


@pytest.fixture
def engine(samples_db, tmp_path):
    import shutil

    copy = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, copy)
    con = connect(copy)
    tasks.seed(con)
    yield Engine(con)
    con.close()


def test_the_deck_has_a_slide_for_each_thing_the_committee_discusses(engine):
    d = deck(engine, parse("2026-10"), COMMUNE)
    lagging = [
        r for r in engine.scorecard(parse("2026-10"), COMMUNE) if r.status in ("cham", "gan_dat")
    ]
    kinds = [s.kind for s in d.slides]
    assert kinds == ["tong_quan"] + ["chi_so"] * len(lagging) + [
        "qua_han",
        "nhiem_vu",
        "bao_cao_don_vi",
    ]
    assert {s.indicator_id for s in d.slides if s.kind == "chi_so"} == {r.id for r in lagging}
    for s in d.slides:
        for _, frame in s.tables:
            assert len(frame) <= ROWS, s.title
    for s in d.slides:
        if s.kind == "chi_so":
            assert s.lines and s.lines[0].startswith("Cần thêm"), s.lines
    tasks_slide = next(s for s in d.slides if s.kind == "nhiem_vu")
    assert tasks_slide.more.startswith("Còn ") and "trang Nhiệm vụ" in tasks_slide.more


def test_the_slides_as_one_pdf(engine):
    d = deck(engine, parse("2026-10"), COMMUNE)
    pdf = deck_pdf(engine, d)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == len(d.slides)
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))
    assert width / height == pytest.approx(16 / 9, rel=0.01)  # a projector's shape


def test_a_slide_table_wraps_its_cells_and_stays_on_the_page():
    import pandas as pd

    from reports.images import Canvas
    from reports.slides_pdf import BOTTOM, H, W, _table

    long = "Trung tâm Phục vụ hành chính công và các cơ quan, đơn vị, tổ chức có liên quan"
    frame = pd.DataFrame(
        {"Nhiệm vụ": [long * 2] * 7, "Chủ trì": [long] * 7, "Hạn": ["30/09/2026"] * 7}
    )
    c = Canvas(W, H)
    bottom = _table(c, frame, 50, 150, W - 100, 32)
    assert 150 < bottom <= BOTTOM + 20  # smaller type rather than off the page
