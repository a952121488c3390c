"""A province on one server: communes ranked side by side, roll-ups that add numerators and
denominators, commune accounts that see and upload only their commune (enforced in the
engine and the storage, not only in the menus), and demo data kept out of real totals."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.errors import Forbidden
from core.periods import parse
from indicators.compute import Engine
from indicators.league import commune_results, for_indicator, laggards, overall, rollup
from loaders.reader import read_file
from storage import accounts, demo
from storage.areas import areas, home_commune, set_areas, set_home_commune
from storage.database import connect
from storage.demo import Commune
from storage.imports import import_files, import_history, store, undo_import
from tests.conftest import ROOT

PROVINCE = {"Xã An Hòa": (900, 11), "Xã Bình Minh": (400, 12), "Xã Cát Tiên": (650, 13)}
START, END = dt.date(2026, 1, 1), dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("province")
    path = folder / "kpi.duckdb"
    con = connect(path)
    files = []
    for name, (n, seed) in PROVINCE.items():
        title = name.upper().replace("XÃ", "XÃ", 1)
        cases = demo.synthetic_cases(
            n, START, END, seed=seed, commune=Commune(title, f"000.00.{seed}.H00")
        )
        files.append(
            demo.write_case_export(
                cases, folder / f"ds_{seed}.xlsx", commune_title=title, start=START, end=END
            )
        )
    results = import_files(con, files, user="tinh")
    assert all(r.ok for r in results), [r.message for r in results]
    con.close()
    return path, files


@pytest.fixture
def province(province_db, tmp_path):
    copy = tmp_path / "kpi.duckdb"
    shutil.copy(province_db[0], copy)
    con = connect(copy)
    yield con
    con.close()


def test_the_league_table_ranks_communes_by_the_share_of_targets_met(province):
    eng = Engine(province)
    period = parse("2026-03")
    results = commune_results(eng, period, eng.communes())
    assert sorted(results["xa"].unique()) == sorted(PROVINCE)
    table = overall(results)
    assert list(table.columns[:3]) == ["Hạng", "Xã", "Điểm"]
    # by hand: met 1, close ½, lagging 0, over the indicators with a target and a figure
    for row in table.to_dict("records"):
        part = results[results["xa"] == row["Xã"]]
        met = (part["trang_thai"] == "dat").sum()
        close = (part["trang_thai"] == "gan_dat").sum()
        lag = (part["trang_thai"] == "cham").sum()
        assert (row["Đạt"], row["Gần đạt"], row["Chậm"]) == (met, close, lag)
        score = (met + close / 2) / (met + close + lag)
        assert row["Điểm"] == f"{score * 100:.1f}%".replace(".", ",")
    scores = [float(s.rstrip("%").replace(",", ".")) for s in table["Điểm"]]
    assert scores == sorted(scores, reverse=True)
    assert table["Hạng"].iloc[0] == "1"


def test_one_indicator_ranks_communes_in_its_direction(province):
    eng = Engine(province)
    results = commune_results(eng, parse("2026-03"), eng.communes())
    ranked = for_indicator(results, "ty_le_truc_tuyen")
    values = {
        c: eng.compute_one(eng.catalog.indicators["ty_le_truc_tuyen"], parse("2026-03"), [c]).value
        for c in PROVINCE
    }
    assert list(ranked["Xã"]) == sorted(values, key=lambda c: -values[c])
    best = max(values.values())
    assert ranked["Giá trị"].iloc[0] == f"{best * 100:.1f}%".replace(".", ",")
    worst = laggards(results)
    assert set(worst.columns) >= {"Chỉ số", "Số xã chậm", "Xã chậm nhất"}
    lagging = results[results["trang_thai"] == "cham"]
    assert worst["Số xã chậm"].sum() == len(lagging)


def test_a_rollup_adds_numerators_and_denominators_never_averages_rates(province):
    eng = Engine(province)
    period = parse("2026-03")
    ind = eng.catalog.indicators["ty_le_truc_tuyen"]
    parts = [eng.compute_one(ind, period, [c]) for c in PROVINCE]
    table = rollup(eng, period, {"Cụm Bắc": list(PROVINCE)}, ind.id)
    num = sum(p.numerator for p in parts)
    den = sum(p.denominator for p in parts)
    assert table["_value"].iloc[0] == pytest.approx(num / den)
    average = sum(p.value for p in parts) / len(parts)
    assert table["_value"].iloc[0] != pytest.approx(average, abs=1e-6)
    assert table["Số xã"].iloc[0] == 3


def test_a_commune_engine_refuses_another_commune(province):
    eng = Engine(province)
    eng.scope = frozenset(["Xã An Hòa"])
    assert eng.communes() == ["Xã An Hòa"] and eng.choosable() == ["Xã An Hòa"]
    ind = eng.catalog.indicators["ty_le_truc_tuyen"]
    with pytest.raises(Forbidden):
        eng.compute_one(ind, parse("2026-03"), ["Xã Bình Minh"])
    with pytest.raises(Forbidden):
        eng.breakdown(ind.id, parse("2026-03"), "linh_vuc", "Xã Bình Minh")
    # «every commune» for this account is its own commune only
    own = eng.compute_one(ind, parse("2026-03"), ["Xã An Hòa"])
    assert next(r for r in eng.scorecard(parse("2026-03")) if r.id == ind.id).value == own.value


def test_a_commune_account_stores_and_undoes_only_its_own_commune(province, province_db):
    files = province_db[1]
    parsed = read_file(files[1])  # Bình Minh's file
    refused = store(province, parsed, user="canbo_an_hoa", scope="Xã An Hòa")
    assert not refused.ok and "chỉ được nhập số liệu của «Xã An Hòa»" in refused.message
    history = import_history(province, scope="Xã An Hòa")
    assert set(history["commune"]) == {"Xã An Hòa"}
    other = int(import_history(province, scope="Xã Bình Minh")["import_id"].iloc[0])
    with pytest.raises(Exception, match="Không có lần nhập số"):
        undo_import(province, other, "canbo_an_hoa", scope="Xã An Hòa")


def test_accounts_carry_their_commune_and_an_admin_is_never_narrowed(province):
    accounts.create(
        province,
        "canbo_an_hoa",
        "Cán bộ An Hòa",
        "nhap_lieu",
        "mat-khau-an-hoa",
        by="quantri",
        commune="Xã An Hòa",
    )
    assert accounts.commune_of(province, "canbo_an_hoa") == "Xã An Hòa"
    with pytest.raises(accounts.AccountError, match="quản trị"):
        accounts.create(
            province,
            "qt_xa",
            "Quản trị xã",
            "quan_tri",
            "mat-khau-quan-tri-xa",
            by="quantri",
            commune="Xã An Hòa",
        )
    with pytest.raises(accounts.AccountError, match="quản trị"):
        accounts.set_role(province, "canbo_an_hoa", "quan_tri", by="quantri")
    accounts.set_commune(province, "canbo_an_hoa", None, by="quantri")
    assert accounts.commune_of(province, "canbo_an_hoa") is None
    listing = accounts.listing(province).set_index("ten_dang_nhap")
    assert listing.at["canbo_an_hoa", "xa"] == "Mọi xã"


def test_communes_are_grouped_as_data(province):
    import pandas as pd

    n = set_areas(
        province,
        pd.DataFrame(
            {
                "xa": ["Xã An Hòa", "Xã Bình Minh", "Xã Cát Tiên"],
                "tinh": ["Nghệ An"] * 3,
                "cum": ["Cụm Bắc", "Cụm Bắc", None],
            }
        ),
        by="quantri",
    )
    assert n == 3
    placed = areas(province).set_index("xa")
    assert placed.at["Xã Bình Minh", "cum"] == "Cụm Bắc"
    assert placed.at["Xã Cát Tiên", "tinh"] == "Nghệ An"
    assert set_areas(province, placed.reset_index(), by="quantri") == 0  # nothing changed


def test_the_installation_commune_is_the_default_for_a_file_without_one(province, tmp_path):
    assert home_commune(province) == ""
    assert set_home_commune(province, "xã diễn châu", by="quantri") == "Xã Diễn Châu"
    csv = tmp_path / "khong_ten_xa.csv"
    csv.write_text(
        "Mã hồ sơ,Ngày tiếp nhận,Hạn xử lý,Ngày kết thúc,Trạng thái\n"
        "H01.1,02/03/2026,10/03/2026,05/03/2026,Đã trả kết quả\n",
        encoding="utf-8",
    )
    result = import_files(province, [csv], user="canbo", as_of=dt.date(2026, 3, 31))[0]
    assert result.ok, result.message
    assert result.commune == "Xã Diễn Châu"


def test_demo_data_never_mixes_into_real_totals(demo_db):
    from tests.conftest import COMMUNE, DIEN_CHAU

    con = connect(demo_db)
    assert Engine(con).communes() == ["Xã Mẫu"]  # alone, the demo is what there is
    import_files(con, [DIEN_CHAU / "danh_sach_ho_so_2026-03.xlsx"], user="canbo")
    eng = Engine(con)
    assert eng.communes() == [COMMUNE]
    assert eng.choosable() == sorted([COMMUNE, "Xã Mẫu"])
    ind = eng.catalog.indicators["ty_le_truc_tuyen"]
    total = next(r for r in eng.scorecard(parse("2026-03")) if r.id == ind.id)
    own = eng.compute_one(ind, parse("2026-03"), [COMMUNE])
    assert (total.numerator, total.denominator) == (own.numerator, own.denominator)
    con.close()


def _signed_in(username: str, password: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Đăng nhập").click().run()
    return at


def test_the_province_page_ranks_communes_and_a_commune_account_cannot_open_it(
    province, monkeypatch, tmp_path
):
    accounts.create(province, "tinh", "Cán bộ tỉnh", "xem", "mat-khau-cap-tinh", by="quantri")
    accounts.create(
        province,
        "an_hoa",
        "Thành viên An Hòa",
        "xem",
        "mat-khau-an-hoa-1",
        by="quantri",
        commune="Xã An Hòa",
    )
    province.close()
    monkeypatch.setenv("KPI_DB", str(tmp_path / "kpi.duckdb"))
    monkeypatch.setenv("KPI_AUTH", "1")

    at = _signed_in("tinh", "mat-khau-cap-tinh")
    at.switch_page("pages/so_sanh_xa.py").run()
    assert not at.exception, at.exception
    league = next(
        d.value for d in at.dataframe if "Hạng" in d.value.columns and "Điểm" in d.value.columns
    )
    assert sorted(league["Xã"]) == sorted(PROVINCE)

    at = _signed_in("an_hoa", "mat-khau-an-hoa-1")
    assert not at.exception, at.exception
    xa = next(s for s in at.selectbox if s.label == "Xã")
    assert list(xa.options) == ["Xã An Hòa"]  # no «Tất cả các xã», no other commune
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/so_sanh_xa.py")  # not in this account's menu
    # and reached directly by its file, the page itself refuses
    direct = AppTest.from_file(str(ROOT / "pages" / "so_sanh_xa.py"), default_timeout=120)
    direct.session_state["username"], direct.session_state["role"] = "an_hoa", "xem"
    direct.run()
    assert not direct.exception
    assert not direct.dataframe
    assert any("cấp tỉnh" in e.value for e in direct.error)


def test_the_upload_page_holds_another_communes_file_until_confirmed(
    province_db, tmp_path, monkeypatch
):
    shutil.copy(province_db[0], tmp_path / "kpi.duckdb")
    monkeypatch.setenv("KPI_COMMUNE", "Xã An Hòa")  # the installation's commune
    csv = tmp_path / "khong_ten_xa.csv"
    csv.write_text(
        "Mã hồ sơ,Ngày tiếp nhận,Hạn xử lý,Ngày kết thúc,Trạng thái\n"
        "H01.9,02/04/2026,10/04/2026,05/04/2026,Đã trả kết quả\n",
        encoding="utf-8",
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/tai_du_lieu.py").run()
    picker = next(s for s in at.selectbox if s.label.startswith("Xã"))
    assert picker.value == "Xã An Hòa"
    neighbour = province_db[1][1]  # Bình Minh's export
    at.get("file_uploader")[0].set_value(
        [
            (neighbour.name, neighbour.read_bytes(), "application/octet-stream"),
            (csv.name, csv.read_bytes(), "text/csv"),
        ]
    ).run()
    assert not at.exception, at.exception
    assert any(
        "Xã Bình Minh" in w.value and "không phải xã của bảng điều khiển" in w.value
        for w in at.warning
    )
    facts = [dict(zip(t.value["Thông tin"], t.value["Giá trị"], strict=True)) for t in at.table]
    assert [f["Xã"] for f in facts] == ["Xã Bình Minh", "Xã An Hòa"]  # the CSV takes ours
    assert any(b.label == "Nhập 1 tệp" for b in at.button)  # the neighbour's is held back
    next(c for c in at.checkbox if c.label.startswith("Tôi xác nhận")).check().run()
    assert any(b.label == "Nhập 2 tệp" for b in at.button)


def test_the_installations_commune_is_the_default_choice(province_db, tmp_path, monkeypatch):
    shutil.copy(province_db[0], tmp_path / "kpi.duckdb")
    monkeypatch.setenv("KPI_COMMUNE", "Xã Bình Minh")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "Xã").value == "Xã Bình Minh"
    at.switch_page("pages/nhap_so_lieu.py").run()
    assert next(s for s in at.selectbox if s.label == "Xã").value == "Xã Bình Minh"
