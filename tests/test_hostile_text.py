"""Text from data is text (issue 19): a case list whose every text field, its commune and its
file name hold Markdown links, images and HTML is imported beside a real commune; then every
page is drawn and nothing it shows (titles, captions, messages, metric and widget labels,
tables, charts) may carry a link or an image from that file."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from core.text import plain_markdown, plain_plot
from storage import demo
from storage.database import connect
from storage.imports import import_files
from tests.conftest import ROOT

EVIL = "evil.example"
HOSTILE = (
    f"[bấm vào](http://{EVIL}/a) ![ảnh](http://{EVIL}/i.png) "
    f"<img src='http://{EVIL}/h.png'> <a href='http://{EVIL}/b'>b</a> "
    f"http://{EVIL}/raw www.{EVIL} ai@{EVIL}"
)
PAGES = [
    "tong_quan",
    "chi_so",
    "ho_so_qua_han",
    "che_do_hop",
    "bao_cao",
    "chat_luong",
    "tai_du_lieu",
    "nhap_so_lieu",
    "so_sanh_xa",
    "quan_tri",
]
MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


def carries_link(markdown: str) -> bool:
    """Whether Markdown, as Streamlit renders it, makes a link or an image to the file's
    addresses (rendered links and images, HTML, and the bare addresses GFM turns into
    links)."""
    html = MARKDOWN.render(markdown)
    if re.search(rf"<(a|img)\b[^>]*{re.escape(EVIL)}", html):
        return True
    if re.search(r"(?<!\\)<(a|img)\b", markdown):  # raw HTML (drawn where HTML is allowed)
        return True
    return bool(re.search(rf"(https?://|www\.|(?<!\\)@){re.escape(EVIL)}", markdown))


def plot_carries_link(spec: str) -> bool:
    """Whether a plotly figure's text holds an HTML link or image (plotly renders <a href>)."""
    return bool(re.search(r"<(a|img)\b", json.dumps(json.loads(spec))))


def test_the_escapes_keep_text_text():
    assert carries_link(HOSTILE)  # the checker itself sees the attack
    assert not carries_link(plain_markdown(HOSTILE))
    assert not carries_link(
        plain_markdown("- [x](http://evil.example/a)\n1. ![y](www.evil.example)")
    )
    assert plain_markdown("Xã Diễn Châu, ho_so_01.xlsx") == "Xã Diễn Châu, ho_so_01.xlsx"
    assert plot_carries_link(json.dumps({"t": plain_plot.__name__ and "<a href='x'>"}))
    assert not plot_carries_link(json.dumps({"t": plain_plot(HOSTILE)}))


def hostile_file(folder):
    """A case list whose procedure, field and officer names and file name are attacks, with
    one bad row (so a quality finding and a problem list name the file)."""
    cases = demo.synthetic_cases(
        300, START, END, seed=5, commune=demo.Commune("XÃ X", "000.00.77.H00")
    )
    for column in ("ten_tthc", "linh_vuc", "can_bo"):
        cases[column] = [f"{HOSTILE} {column} {i % 3}" for i in range(len(cases))]
    cases.loc[0, "ngay_tiep_nhan"] = pd.NaT
    # a file name cannot hold «/»: its link points at a page of the same site
    name = folder / "[tệp](javascript:alert(1)) ![a](x.png).xlsx"
    return demo.write_case_export(cases, name, commune_title="", start=START, end=END)


@pytest.fixture
def hostile_db(samples_db, tmp_path, monkeypatch):
    path = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, path)
    con = connect(path)
    results = import_files(
        con, [hostile_file(tmp_path)], user="kiem_thu", commune=f"Xã {HOSTILE}", skip_bad_rows=True
    )
    assert all(r.ok for r in results), [r.message for r in results]
    assert results[0].rejected == 1
    communes = [r[0] for r in con.execute("SELECT DISTINCT commune FROM imports").fetchall()]
    con.close()
    assert any(EVIL in c for c in communes), communes
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setenv("KPI_DEMO", "0")
    return path


MARKDOWN_KINDS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "success",
    "warning",
    "error",
    "metric",
    "selectbox",
    "multiselect",
    "radio",
    "text_input",
    "button",
    "checkbox",
    "expander",
    "tab",
    "toggle",
)


def leaks(at: AppTest) -> list[str]:
    found = []
    for kind in MARKDOWN_KINDS:
        for e in at.get(kind):
            proto = e.proto
            for field in ("body", "label", "help", "caption"):
                text = getattr(proto, field, "")
                if isinstance(text, str) and text and carries_link(text):
                    found.append(f"{kind}.{field}: {text[:160]}")
    for table in at.get("table"):
        frame = table.value
        for cell in [*map(str, frame.columns), *map(str, frame.to_numpy().ravel())]:
            if carries_link(cell):
                found.append(f"table: {cell[:160]}")
    for chart in at.get("plotly_chart"):
        if plot_carries_link(chart.proto.spec):
            found.append(f"plotly_chart: {chart.proto.spec[:160]}")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_page_carries_a_link_or_image_from_the_file(hostile_db, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    hostile = next(c for c in next(s for s in at.selectbox if s.label == "Xã").options if EVIL in c)
    at.query_params["xa"] = hostile
    at.query_params["ky"] = "2026-03"
    views = [at.run()]
    if page != "tong_quan":
        views = [at.switch_page(f"pages/{page}.py").run()]
    at = views[0]
    assert not at.exception, at.exception
    assert leaks(at) == [], page
    # the page did show the file's text (escaped): the test looks where the attack is
    shown = " ".join(" ".join(map(str, s.options)) for s in at.selectbox)
    shown += " ".join(
        str(getattr(e.proto, "body", "")) + str(getattr(e.proto, "label", ""))
        for kind in MARKDOWN_KINDS
        for e in at.get(kind)
    )
    shown += " ".join(t.value.to_string() for t in at.get("table"))
    shown += " ".join(d.value.to_string() for d in at.get("dataframe"))
    shown += " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert EVIL in shown, page


def test_the_upload_page_says_what_it_read_without_a_link(samples_db, tmp_path, monkeypatch):
    path = tmp_path / "kpi.duckdb"
    shutil.copy(samples_db, path)
    monkeypatch.setenv("KPI_DB", str(path))
    monkeypatch.setenv("KPI_DEMO", "0")
    upload = hostile_file(tmp_path)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.switch_page("pages/tai_du_lieu.py").run()
    picker = next(s for s in at.selectbox if s.label.startswith("Xã"))
    picker.set_value("Xã khác ...").run()
    next(t for t in at.text_input if t.label == "Tên xã").input(f"Xã {HOSTILE}").run()
    at.get("file_uploader")[0].set_value(
        [(upload.name, upload.read_bytes(), "application/octet-stream")]
    ).run()
    assert not at.exception, at.exception
    assert leaks(at) == []
    for box in at.checkbox:
        box.check()
    at.run()
    next(b for b in at.button if b.label.startswith("Nhập ")).click().run()
    assert not at.exception, at.exception
    assert any("alert" in e.value for e in [*at.success, *at.error]), "the result is said"
    assert leaks(at) == []


PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "!",
        "<",
        ">",
        "a",
        "img",
        "href=",
        "http://",
        "https://",
        "www.",
        "@",
        ".",
        ":",
        "/",
        EVIL,
        " ",
        "\n",
        "-",
        "1.",
        "*",
        "_",
        "`",
        "\\",
        "|",
        "#",
        "x",
    ]
)


@given(st.lists(PIECES, max_size=40).map("".join))
def test_no_text_escaped_for_markdown_makes_a_link(text):
    assert not carries_link(plain_markdown(text))
