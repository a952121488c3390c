"""Quản trị with AppTest: each outcome beside the form that caused it, a refused form kept, the
installation's own commune offered before its data, areas without «None», a change log in
words and percentages."""

from __future__ import annotations

from storage import targets
from storage.areas import set_home_commune
from storage.audit import trail
from storage.database import connect
from tests.test_app_pages import open_page, samples  # noqa: F401 - a fixture


def field(at, label):
    return next(t for t in at.text_input if t.label == label)


def test_a_refused_account_keeps_the_form_and_says_why_beside_it(db_path, monkeypatch):
    monkeypatch.setenv("KPI_DEMO", "0")
    con = connect(db_path)
    set_home_commune(con, "Xã Diễn Châu", by="kiem_thu")
    con.close()
    at = open_page("quan_tri")
    assert not at.exception
    # tied to the installation's commune though nothing of it is imported yet
    scope = next(s for s in at.selectbox if s.label == "Phạm vi")
    assert scope.options == ["Mọi xã", "Xã Diễn Châu"]
    field(at, "Tên đăng nhập").input("canbo")
    field(at, "Họ tên").input("Cán bộ một cửa")
    field(at, "Mật khẩu").input("ngan")  # too short: refused
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "Mật khẩu" in at.error[0].value, [e.value for e in at.error]
    assert field(at, "Tên đăng nhập").value == "canbo"  # what was typed is still there
    assert field(at, "Họ tên").value == "Cán bộ một cửa"
    field(at, "Mật khẩu").input("mat-khau-du-dai-2026")
    next(b for b in at.button if b.label == "Tạo tài khoản").click().run()
    assert [s.value for s in at.success] == ["Đã tạo tài khoản canbo."]
    assert field(at, "Tên đăng nhập").value == ""  # saved: an empty form
    listed = next(d.value for d in at.dataframe if "Tên đăng nhập" in d.value.columns)
    assert list(listed["Phạm vi"]) == ["Mọi xã"]  # not «None»


def test_the_change_log_names_the_indicator_and_says_a_rate_in_percent(samples):  # noqa: F811
    from indicators.definitions import load_catalog

    con = connect(samples)
    catalog = load_catalog()
    targets.set_target(
        con, catalog, "phu_song_5g", 2026, "min", value=0.78, basis="Nghị quyết 01", user="quantri"
    )
    names = {i: (ind.name, ind.unit) for i, ind in catalog.indicators.items()}
    row = trail(con, indicators=names).iloc[0]
    con.close()
    assert row["doi_tuong"].startswith(catalog.indicators["phu_song_5g"].name)
    assert "phu_song_5g" not in row["doi_tuong"]
    assert "giá trị: 78%" in row["chi_tiet"] and "0,78" not in row["chi_tiet"], row["chi_tiet"]
