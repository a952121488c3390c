"""Tải dữ liệu: drop files, see how each was read, confirm, and undo from the history."""

from __future__ import annotations

import streamlit as st

from core import settings
from core.errors import LockedMonth
from indicators.definitions import manual_indicators
from loaders.upload import preview, problems_table, read_upload
from loaders.vocabulary import load as load_vocabulary
from storage import locks
from storage.areas import home_commune
from storage.imports import (
    file_communes,
    import_history,
    problems_of,
    store,
    summary,
    undo_import,
    unexpected,
)
from storage.scope import refuse_foreign
from ui.auth import require
from ui.chrome import file_picker
from ui.session import cursor, engine, scope, user
from ui.widgets import confirm, confirmed_result, plain

require("nhap_lieu")
st.title("Tải dữ liệu lên")
st.write(
    "Chọn một hoặc nhiều tệp xuất từ Cổng dịch vụ công (.xlsx, .xls, .csv): danh sách "
    "hồ sơ, Biểu 06a, bảng số hóa 766, hoặc tệp mẫu số liệu nhập tay. Mỗi tệp được "
    "đọc và hiển thị trước; chỉ khi bấm «Nhập» dữ liệu mới được lưu."
)

if "upload_round" not in st.session_state:
    st.session_state["upload_round"] = 0
OTHER = "Xã khác ..."
only = scope()
home = home_commune(cursor())
known = [c for c in engine().choosable() if c != settings.DEMO_COMMUNE]
commune_choice: str | None
if only:
    commune_choice = only
    st.caption(f"Tài khoản của **{plain(only)}**: chỉ nhập được số liệu của xã này.")
else:
    # the installation's commune first: a file that names no commune is meant for it
    options = [*dict.fromkeys(c for c in (home, *known) if c), OTHER]
    picked = st.selectbox("Xã (dùng khi tệp không ghi tên xã)", options, index=0)
    commune_choice = (
        st.text_input("Tên xã", placeholder="Ví dụ: Xã Diễn Châu").strip()
        if picked == OTHER
        else picked
    )
files = file_picker(
    "Tệp dữ liệu",
    ["xlsx", "xls", "csv", "txt", "tsv", "xml", "htm", "html"],
    f"uploader_{st.session_state['upload_round']}",
    accept_multiple_files=True,
)

for note in st.session_state.pop("upload_results", []):
    (st.success if note[0] else st.error)(plain(note[1]))

readings = []
if files:
    progress = st.progress(0.0, text="Đang đọc tệp ...")
    for n, f in enumerate(files, start=1):
        cache_key = f"doc|{f.name}|{f.size}|{commune_choice}"
        if cache_key not in st.session_state:
            st.session_state[cache_key] = read_upload(
                f.getvalue(), f.name, commune_choice or None, manual_indicators()
            )
        readings.append(st.session_state[cache_key])
        progress.progress(n / len(files), text=f"Đã đọc {n}/{len(files)} tệp")
    progress.empty()


def commune_doubt(name: str) -> str | None:
    """Why a file's commune needs a deliberate yes: another commune's file, or a new one."""
    if home and name == home:
        return None  # the installation's own commune, new or not
    if home:
        return (
            f"Tệp này là số liệu của **{plain(name)}**, không phải xã của bảng điều "
            f"khiển (**{plain(home)}**)."
        )
    if name not in known:
        return f"**{plain(name)}** chưa có trong dữ liệu: nhập tệp này sẽ tạo một xã mới."
    return None


def confirm_key(r, commune: str) -> str:
    return f"xac_nhan_xa|{r.file_name}|{r.parsed.sha256}|{commune}"


def doubts_of(r) -> list[tuple[str, str]]:
    """Each commune the file names that needs a yes (a hand-entry template may name one
    on each row)."""
    return [(c, d) for c in file_communes(r.parsed) if (d := commune_doubt(c))]


def verdict(r) -> tuple[str, str | None]:
    """What becomes of a read file: «ready», «refused» with the reason, or «wait» (its
    commune needs a yes). Decided before anything is drawn, so the count and the button
    can stand at the top of a long list."""
    if not r.ok:
        return "refused", None
    foreign = refuse_foreign(r.file_name, r.parsed.commune, r.parsed.rows, only)
    if foreign is not None:  # the same refusal storage would give on «Nhập»
        return "refused", plain(foreign.message(20))
    try:  # a locked month is said in the preview, not after «Nhập»
        locks.check(cursor(), locks.months_of_file(r.parsed))
    except LockedMonth as exc:
        return "refused", (
            f"Tệp này sẽ không được nhập: {plain(str(exc))} Đề nghị quản trị "
            "mở khóa tháng nếu cần sửa số liệu."
        )
    if any(not st.session_state.get(confirm_key(r, c)) for c, _ in doubts_of(r)):
        return "wait", None
    return "ready", None


def run_import(ready: list, skip: bool) -> None:
    notes = []
    bar = st.progress(0.0, text="Đang nhập ...")
    for n, r in enumerate(ready, start=1):
        try:
            result = store(cursor(), r.parsed, skip_bad_rows=skip, user=user(), scope=only)
        except Exception as exc:
            result = unexpected(r.file_name, exc)
        notes.append((result.ok, summary(result)))
        bar.progress(n / len(ready), text=f"Đã xử lý {n}/{len(ready)} tệp")
    st.session_state["upload_results"] = notes
    st.session_state["upload_round"] += 1  # empties the file picker
    for k in [k for k in st.session_state if str(k).startswith("doc|")]:
        del st.session_state[k]
    st.rerun()


def dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


verdicts = [verdict(r) for r in readings]
ready = [r for r, (v, _) in zip(readings, verdicts, strict=True) if v == "ready"]
if readings:
    # one line for the whole choice, and the button above the list as well as below it
    refused = sum(v == "refused" for v, _ in verdicts)
    waiting = sum(v == "wait" for v, _ in verdicts)
    with_bad = sum(1 for r in ready if r.parsed.bad_rows)
    rows = sum(len(r.parsed.rows) for r in ready)
    parts = [f"**{len(ready)}** sẵn sàng nhập ({dots(rows)} dòng)"]
    if with_bad:
        parts.append(f"**{with_bad}** có dòng lỗi")
    if waiting:
        parts.append(f"**{waiting}** chờ xác nhận xã")
    if refused:
        parts.append(f"**{refused}** không nhập được")
    st.markdown(f"Đã đọc {len(readings)} tệp: " + ", ".join(parts) + ".")
    if ready:
        top = st.columns([1, 2])
        skip = top[1].checkbox("Bỏ qua dòng lỗi (chỉ nhập các dòng đúng)", key="bo_qua_dong_loi")
        if top[0].button(f"Nhập {len(ready)} tệp", type="primary", key="nhap_tren"):
            run_import(ready, skip)

for r, (state, reason) in zip(readings, verdicts, strict=True):
    if not r.ok:
        with st.expander(f"⛔ {plain(r.file_name)} — không đọc được", expanded=True):
            st.error(plain(r.error.message(20)))
        continue
    bad = len(r.parsed.bad_rows)
    icon = {"refused": "⛔", "wait": "❓"}.get(state, "⚠️" if bad else "✅")
    facts = r.facts
    title = (
        f"{icon} {plain(r.file_name)} — {facts['Loại tệp']}, {plain(r.parsed.commune)}, "
        f"{facts['Kỳ số liệu']}, {facts['Số dòng đọc được']} dòng"
        + (f", {dots(bad)} dòng lỗi" if bad else "")
    )
    # a file that needs a look opens by itself; a good one stays one line
    with st.expander(title, expanded=state != "ready" or bool(bad) or bool(r.parsed.warnings)):
        st.table({"Thông tin": list(facts), "Giá trị": [plain(v) for v in facts.values()]})
        for w in r.parsed.warnings:
            st.warning(plain(w))
        if reason:
            st.error(reason)
            continue
        if r.problems:
            st.error(f"{dots(bad)} dòng lỗi — sửa tệp rồi tải lại, hoặc chọn «Bỏ qua dòng lỗi».")
            st.dataframe(problems_table(r.problems), hide_index=True, width="stretch")
        st.caption("20 dòng đầu, như sẽ được lưu:")
        st.dataframe(
            preview(r.parsed, names={i: s.name for i, s in manual_indicators().items()}),
            hide_index=True,
            width="stretch",
        )
        unconfirmed = False
        for c, doubt in doubts_of(r):
            st.warning(doubt + " Kiểm tra tiêu đề và cột «Xã» của tệp trước khi nhập.")
            if not st.checkbox(
                f"Tôi xác nhận nhập số liệu của {plain(c)} từ tệp này", key=confirm_key(r, c)
            ):
                unconfirmed = True
        if unconfirmed:
            st.caption("Tệp này chỉ được nhập khi đã xác nhận.")

if ready and st.button(f"Nhập {len(ready)} tệp", type="primary", key="nhap_duoi"):
    run_import(ready, bool(st.session_state.get("bo_qua_dong_loi")))

st.divider()
st.subheader("Lịch sử nhập")
history = import_history(cursor(), scope=only)
if history.empty:
    st.write("Chưa có lần nhập nào.")
else:
    kinds = load_vocabulary().kinds
    view = history.assign(
        kind=[kinds[k].label if k in kinds else k for k in history["kind"]],
        trang_thai=[
            "Đã hoàn tác" if str(u) not in ("NaT", "None") else "Đang dùng"
            for u in history["undone_at"]
        ],
        as_of=[f"{d:%d/%m/%Y}" for d in history["as_of"]],
        # counts with the thousands dot («1.092»), as the rest of the page writes them
        **{
            c: [dots(int(v)) if v == v else "—" for v in history[c]]
            for c in ("rows_inserted", "rows_updated", "rows_unchanged", "rows_rejected")
        },
        imported_at=[f"{d:%d/%m/%Y %H:%M}" for d in history["imported_at"]],
    )
    st.dataframe(
        view.rename(
            columns={
                "import_id": "Số",
                "file_name": "Tệp",
                "kind": "Loại",
                "commune": "Xã",
                "as_of": "Số liệu đến",
                "rows_inserted": "Mới",
                "rows_updated": "Cập nhật",
                "rows_unchanged": "Không đổi",
                "rows_rejected": "Dòng lỗi",
                "imported_at": "Thời điểm",
                "imported_by": "Người nhập",
                "trang_thai": "Trạng thái",
            }
        )[
            [
                "Số",
                "Tệp",
                "Loại",
                "Xã",
                "Số liệu đến",
                "Mới",
                "Cập nhật",
                "Không đổi",
                "Dòng lỗi",
                "Thời điểm",
                "Người nhập",
                "Trạng thái",
            ]
        ],
        hide_index=True,
        width="stretch",
    )
    active = history[[str(u) in ("NaT", "None") for u in history["undone_at"]]]
    if not active.empty:
        cols = st.columns([3, 1])
        chosen = cols[0].selectbox(
            "Chọn lần nhập để xem lỗi hoặc hoàn tác",
            list(active["import_id"]),
            format_func=lambda i: f"#{i} — {active.set_index('import_id').at[i, 'file_name']}",
        )
        problems = problems_of(cursor(), int(chosen), scope=only)
        if problems:
            st.dataframe(problems_table(problems), hide_index=True, width="stretch")
        name = active.set_index("import_id").at[chosen, "file_name"]
        confirm(
            f"hoan_tac_{chosen}",
            cols[1].button("Hoàn tác lần nhập này"),
            "Hoàn tác lần nhập",
            f"Hoàn tác lần nhập số {chosen} ({plain(name)})? Mọi số "
            "liệu của lần nhập này sẽ bị gỡ; số liệu trước đó được khôi phục.",
            lambda: undo_import(cursor(), int(chosen), user(), scope=only),
        )
confirmed_result()
