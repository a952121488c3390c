"""Widgets every page shares: the page's top (title, demo label, period and commune), the
period picker that keeps its choice in the URL, and the Excel download button."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.errors import UserError
from core.periods import Period, PeriodError, parse, reporting
from core.text import plain_markdown
from indicators import present
from indicators.compute import Engine
from indicators.outlook import Outlook
from reports.excel import MIME
from storage.areas import home_commune
from ui.session import ALL, cursor, demo_banner, engine, scope


def page_start(title: str) -> tuple[Engine, Period, str | None]:
    """Title, demo label, period and commune: the top of every page about one period.
    Stops the page when there is no data yet."""
    st.title(title)
    eng = engine()
    picked = period_picker(eng)
    if picked is None:
        st.stop()
    period, commune = picked
    demo_banner(commune)  # only when the commune shown is the made-up one
    # the days and the as-of date of every figure below, worded as on every other surface
    as_of = eng.period_end(period, [commune] if commune else eng.communes())
    st.caption(present.coverage(period, as_of) + ".")
    return eng, period, commune


def period_choices(eng: Engine) -> list[str]:
    """The calendar months, each followed by its reporting window (what the monthly report
    covers: the day after the last cut-off to this one), then quarters, halves and the year;
    only as far as the data of the communes this account may see."""
    # the months of the communes this account may see: another commune's later data says
    # nothing to it (and would tell it that commune has reported)
    latest = max(eng.cap[c] for c in eng.choosable())
    y, m = latest.year, latest.month
    months = []
    for mo in range(m, 0, -1):
        months.append(f"{y}-{mo:02d}")
        if reporting(y, mo).start <= latest:
            months.append(reporting(y, mo).code)
    return (
        months
        + [f"{y}-Q{q}" for q in range((m - 1) // 3 + 1, 0, -1)]
        + [f"{y}-H{h}" for h in range((m - 1) // 6 + 1, 0, -1)]
        + [str(y)]
    )


def period_picker(
    eng: Engine, *, with_commune: bool = True, key: str | None = None
) -> tuple[Period, str | None] | None:
    """Period and commune selectors that remember the choice in the URL (?ky=&xa=).
    ``key`` names the selectors, so that ``current_choice`` can read them before they are
    drawn (meeting mode draws them below the slide)."""
    communes = eng.choosable()
    if not communes:
        st.warning(
            "Chưa có dữ liệu. Hãy tải tệp xuất từ Cổng dịch vụ công lên ở trang «Tải dữ liệu»."
        )
        return None
    choices = period_choices(eng)
    params = st.query_params
    # the URL wins (a shared link); else this session's last choice (the sidebar drops it)
    wanted = params.get("ky") or st.session_state.get("ky") or choices[0]
    if wanted not in choices:
        try:
            wanted = parse(wanted).code
            if wanted not in choices:
                choices.append(wanted)
        except PeriodError as exc:
            st.warning(f"Đường dẫn có {plain(str(exc))}. Đang hiển thị kỳ mới nhất.")
            wanted = choices[0]
    # keyed: ui.chrome keeps the two side by side on a phone
    cols = st.container(key="chon_ky_xa").columns(2)
    code = cols[0].selectbox(
        "Kỳ báo cáo",
        choices,
        index=choices.index(wanted),
        format_func=lambda c: parse(c).label,
        key=f"{key}_ky" if key else None,
    )
    commune = None
    if with_commune:
        options, chosen = commune_options(eng)
        label = cols[1].selectbox(
            "Xã",
            options,
            index=options.index(chosen) if chosen in options else 0,
            key=f"{key}_xa" if key else None,
        )
        commune = None if label == ALL else label
        home = home_commune(cursor())
        first = home if home in options else options[0] if len(options) == 1 else ALL
        to_address({"ky": code, "xa": label}, {"ky": choices[0], "xa": first})
        st.session_state["xa"] = label
    else:
        to_address({"ky": code}, {"ky": choices[0]})
    st.session_state["ky"] = code
    return parse(code), commune


def to_address(values: dict[str, str], defaults: dict[str, str]) -> None:
    """Keep the choice in the address, in one change and only when it differs: each change
    is a browser history entry (Back would need several presses per page). A default not
    yet in the address stays out of it."""
    params = st.query_params
    changed = {
        k: v
        for k, v in values.items()
        if params.get(k) != v and not (k not in params and v == defaults.get(k))
    }
    if changed:
        params.update(changed)


def commune_options(eng: Engine) -> tuple[list[str], str]:
    """The commune choices and the one to start from: the address, this session's last
    choice, the installation's own commune, else «every commune» (offered only when there
    is more than one to add up)."""
    communes = eng.choosable()
    options = [ALL, *communes] if len(eng.communes()) > 1 else communes
    home = home_commune(cursor())
    chosen = (
        st.query_params.get("xa")
        or st.session_state.get("xa")
        or (home if home in options else options[0] if len(options) == 1 else ALL)
    )
    return options, chosen


def one_commune(
    eng: Engine, also: list[str] | tuple[str, ...] = (), key: str = "xa_mot"
) -> str | None:
    """One commune to work on (its tasks, its meetings): a commune account's own, else a
    choice among the communes with data and those in ``also``, starting from the address,
    this session's last choice or the installation's commune. None when there is none."""
    own = scope()
    if own is not None:
        return own
    home = home_commune(cursor())
    options = sorted(set(eng.choosable()) | set(also) | ({home} if home else set()))
    if not options:
        return None
    with_data = eng.choosable()
    chosen = (
        st.query_params.get("xa")
        or st.session_state.get("xa")
        or home
        or (with_data[0] if with_data else options[0])
    )
    label = st.selectbox(
        "Xã", options, key=key, index=options.index(chosen) if chosen in options else 0
    )
    st.query_params["xa"] = label
    st.session_state["xa"] = label
    return label


def current_choice(eng: Engine, key: str) -> tuple[Period, str | None] | None:
    """The period and commune the keyed selectors hold (or the address, or this session's
    last choice), read without drawing anything."""
    communes = eng.choosable()
    if not communes:
        return None
    choices = period_choices(eng)
    params = st.query_params
    code = (
        st.session_state.get(f"{key}_ky")
        or params.get("ky")
        or st.session_state.get("ky")
        or choices[0]
    )
    try:
        period = parse(code)
    except PeriodError:
        period = parse(choices[0])
    options, chosen = commune_options(eng)
    label = st.session_state.get(f"{key}_xa") or chosen
    if label not in options:
        label = options[0]
    return period, None if label == ALL else label


def excel_download(
    label: str, data: bytes | Callable[[], bytes], file_name: str, **kwargs: object
) -> None:
    """An Excel download; ``data`` as a function is made only when the button is pressed,
    so a page view does not pay for a file nobody asked for."""
    st.download_button(label, data, file_name=file_name, mime=MIME, **kwargs)  # type: ignore[arg-type]


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table (which reads its cells as Markdown) with every text cell and
    heading kept literal."""
    out = frame.rename(columns=lambda c: plain_markdown(c) if isinstance(c, str) else c)
    for column in out.columns:
        # pandas 3 gives text its own «str» dtype; older frames hold it as object
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [plain_markdown(v) if isinstance(v, str) else v for v in out[column]]
    return out


def plain(text: object) -> str:
    """Text from a file (a name, a cell) shown literally inside Markdown: no link, image,
    heading or emphasis can be smuggled in through it (core.text.plain_markdown)."""
    return plain_markdown(text)


def confirm(key: str, asked: bool, title: str, question: str, action: Callable[[], str]) -> None:
    """Ask before something that cannot be taken back lightly (undo an import, clear the demo
    data, unlock a month). ``asked`` is this run's click on the button that wants it; the
    question stays open over reruns until «Đồng ý», «Hủy» or closing it. ``action`` returns
    the message shown after it; a UserError it raises is shown instead."""
    if asked:
        st.session_state["xac_nhan"] = key
    if st.session_state.get("xac_nhan") != key:
        return

    def close() -> None:
        st.session_state.pop("xac_nhan", None)

    @st.dialog(title, on_dismiss=close)
    def ask() -> None:
        st.write(question)
        yes, no = st.columns(2)
        if yes.button("Đồng ý", type="primary", width="stretch"):
            close()
            try:
                st.session_state["xac_nhan_ket_qua"] = (True, action())
            except UserError as exc:
                st.session_state["xac_nhan_ket_qua"] = (False, str(exc))
            st.rerun()
        if no.button("Hủy", width="stretch"):
            close()
            st.rerun()

    ask()


def confirmed_result() -> None:
    """The outcome of the last confirmed action, shown once on the page that asked."""
    if outcome := st.session_state.pop("xac_nhan_ket_qua", None):
        (st.success if outcome[0] else st.error)(plain(outcome[1]))


def outlook_rows(behind: pd.DataFrame, outlooks: dict[str, Outlook]) -> pd.DataFrame:
    """One row per lagging indicator of a scorecard table that has an outlook: the gap
    sentence, the projection with its verdict, and the main contributor."""
    rows = []
    for ident, name in zip(behind["_id"], behind["Chỉ số"], strict=True):
        o = outlooks.get(ident)
        if o is None:
            continue
        projection = o.projection_sentence.removeprefix("Dự báo cuối năm: ") or "—"
        rows.append(
            {
                "Chỉ số": name,
                "Cần làm trong tháng": o.sentences[0],
                "Dự báo cuối năm": projection,
                "Tập trung vào": o.main_contributor() or "—",
            }
        )
    return pd.DataFrame(rows)
