"""Form widgets bound to one field of the case: seeded from the case, written back through
``ui.state.set_field`` in their ``on_change`` callback (so the edit lands before the run)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from . import safe, state


def field_value(path: tuple[str | int, ...], default: Any = None) -> Any:
    node: Any = state.case()
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return default
    return default if node is None and default is not None else node


def bound(
    widget: Callable[..., Any],
    label: str,
    path: tuple[str | int, ...],
    key: str,
    *,
    default: Any = None,
    to_widget: Callable[[Any], Any] = lambda v: v,
    to_case: Callable[[Any], Any] = lambda v: v,
    **kwargs: Any,
) -> Any:
    """Draw ``widget`` for the case field at ``path`` under ``key`` (never with ``value=``).

    A widget whose option labels depend on the language gets one key per language
    (``patient_fit_en``): under one key the browser keeps showing the old labels' selection,
    i.e. none, after a language switch. Its value always comes from the case, so nothing is lost.
    """
    if "format_func" in kwargs:
        key = f"{key}_{state.lang()}"
        st.session_state[key] = to_widget(field_value(path, default))  # a choice: always the case's
    elif key not in st.session_state:
        st.session_state[key] = to_widget(field_value(path, default))

    def changed() -> None:
        state.set_field(path, to_case(st.session_state[key]))

    result = widget(label, key=key, on_change=changed, **kwargs)
    dotted = ".".join(str(p) for p in path)
    for problem_path, message in state.evaluate().problems:
        if problem_path == dotted or problem_path.startswith(dotted + "."):
            st.error(safe.text(message), icon="⚠️")
    return result
