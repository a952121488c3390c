"""Forms whose outcome is said where the eye is: beside the form that was sent (and as a toast,
seen wherever the page is scrolled), with the typed values kept when the change is refused
and emptied once it is saved; the page is drawn again after a save, so every table above
the form shows the change at once."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from core.errors import UserError


def form_key(key: str) -> str:
    """The form's key this round: a new round after a save gives empty boxes."""
    return f"{key}_{st.session_state.get(f'vong|{key}', 0)}"


def done(key: str, message: str, *, clear: bool = True) -> None:
    """A change saved: its message is kept for the next run, the form emptied, the page
    drawn again."""
    st.session_state[f"ket_qua|{key}"] = (True, message)
    if clear:
        st.session_state[f"vong|{key}"] = st.session_state.get(f"vong|{key}", 0) + 1
    st.rerun()


def run(key: str, action: Callable[[], str], *, clear: bool = True) -> None:
    """Run a change sent from the form ``key``: saved, ``done``; refused, its reason is
    shown by ``said_here`` and the form keeps what was typed."""
    try:
        message = action()
    except UserError as exc:
        st.session_state[f"ket_qua|{key}"] = (False, str(exc))
        return
    done(key, message, clear=clear)


def said_here(key: str) -> None:
    """The outcome of the form ``key``, drawn where this is called (right under it)."""
    if outcome := st.session_state.pop(f"ket_qua|{key}", None):
        ok, text = outcome
        (st.success if ok else st.error)(text)
        st.toast(text, icon="✅" if ok else "⚠️")
