"""The bedside layout (issue #14 item 4-5): one style sheet for every page and the pinned summary.

- **Pinned summary.** On a narrow screen (below ``NARROW_PX``) Streamlit hides the sidebar behind its
  "»" button, and with it the live summary. ``pinned_summary`` draws a compact copy — status, timing
  (or the ``confirm`` sentence), the top suggestion with its pack — at the top of the page; the CSS
  shows it only below ``NARROW_PX`` (sticky under the header) and hides it on wider screens, where the
  sidebar summary is on screen.
- **Touch targets.** Interactive elements get at least ``TARGET_PX`` (WCAG 2.2 AA 2.5.8); buttons,
  tabs, expander headers and the page links at least ``PRIMARY_PX``.
- **Contrast.** Captions and other muted text are drawn in ``MUTED`` (7.0:1 on white, 6.5:1 on the
  sidebar's #F3F6F9) instead of Streamlit's faded grey (3.9:1 on the sidebar).
- **Tumor board below** ``BOARD_STACK_PX``: the verdict and the top suggestions before the chart.
- **Grids**: the toolbar sits above the grid, never over its header row.

No case text is involved in the CSS; the pinned summary escapes what it shows (``ui.safe``).
"""

from __future__ import annotations

import html
import json
from typing import Final

import streamlit as st

from . import page_script, safe, state
from .i18n import has, tr
from .watch import confirm_text

NARROW_PX: Final = 768  # Streamlit collapses its sidebar below this width
BOARD_STACK_PX: Final = 1100
TARGET_PX: Final = 24  # WCAG 2.2 AA, 2.5.8 Target Size (Minimum)
PRIMARY_PX: Final = 44  # primary actions: Apple HIG / WCAG 2.5.5 (AAA) size
MUTED: Final = "#4A5561"

CSS: Final = f"""<style>
/* Contrast (axe color-contrast): Streamlit's faded caption grey is 3.9:1 on the sidebar. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
[data-testid="stWidgetLabel"] [data-testid="stTooltipHoverTarget"] svg {{ color: {MUTED} !important; }}
[data-testid="stCaptionContainer"] {{ opacity: 1 !important; }}  /* Streamlit fades captions to 0.6 */

/* Touch targets. */
[data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"],
[data-testid="stBaseButton-secondaryFormSubmit"], [data-testid="stBaseButton-primaryFormSubmit"],
[data-testid="stDownloadButton"] button, [data-testid="stFileUploaderDropzone"] button,
[data-baseweb="tab"], [data-testid="stTab"], [data-testid="stExpander"] summary,
[data-testid="stSidebarNav"] a {{ min-height: {PRIMARY_PX}px; }}
[data-testid="stTabsScrollLeft"], [data-testid="stTabsScrollRight"] {{ min-width: {TARGET_PX}px; }}
/* Small icon targets (help "?", heading anchors, date picker, chart toolbar) padded to 24 px. */
[data-testid="stTooltipHoverTarget"] button, [data-testid="stHeaderActionElements"] a,
[data-testid="stDateInputCalendarButton"], .modebar-btn
  {{ min-width: {TARGET_PX}px; min-height: {TARGET_PX}px; display: inline-flex; align-items: center;
     justify-content: center; box-sizing: border-box; }}
/* ... but a real button with a help tooltip (New patient) stays a primary action. */
[data-testid="stTooltipHoverTarget"] [data-testid^="stBaseButton-"]:not([data-testid="stBaseButton-elementToolbar"])
  {{ min-height: {PRIMARY_PX}px; }}
[data-tag] > button, [data-testid="stMultiSelect"] button, [data-testid="stSelectbox"] button
  {{ min-width: {TARGET_PX}px; min-height: {TARGET_PX}px; }}
details > summary {{ min-height: {TARGET_PX}px; display: list-item; }}
[data-testid="stSidebarNav"] a {{ display: flex; align-items: center; }}
[data-testid="stCheckbox"] label, [data-testid="stRadio"] label, [data-testid="stToggle"] label
  {{ min-height: {TARGET_PX}px; align-items: center; }}
[data-testid="stRadio"] [role="radiogroup"] {{ gap: 0.25rem 1rem; }}
[data-testid="stNumberInputStepDown"], [data-testid="stNumberInputStepUp"] {{ min-width: {TARGET_PX}px; }}
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"] button
  {{ min-width: {PRIMARY_PX}px; min-height: {PRIMARY_PX}px; }}

/* Grids: the toolbar above the grid, not over its header row. */
[data-testid="stDataFrame"] [data-testid="stElementToolbar"] {{ top: -2.25rem; }}
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]) {{ margin-top: 2.25rem; }}

/* Pinned summary: narrow screens only. */
.st-key-pinned_summary {{ display: none !important; }}
@media (max-width: {NARROW_PX - 0.02}px) {{
  .st-key-pinned_summary {{ display: flex !important; position: sticky; top: 3.75rem; z-index: 990;
    background: #FFFFFF; padding: 0.4rem 0.6rem; border: 1px solid #C9D1DA; border-radius: 0.5rem;
    box-shadow: 0 2px 6px rgba(31, 42, 54, 0.12); height: auto !important; min-height: fit-content;
    overflow: visible; flex-shrink: 0; }}
  .st-key-pinned_summary p {{ margin: 0; font-size: 0.95rem; line-height: 1.35; }}
}}

/* Tumor board below {BOARD_STACK_PX}px: conclusions first (verdict, top suggestions), chart after. */
@media (max-width: {BOARD_STACK_PX - 0.02}px) {{
  /* the two columns and the top suggestions become one column, ordered verdict, top, chart */
  .st-key-board_body > [data-testid="stLayoutWrapper"]:has(> .st-key-board_main), .st-key-board_main,
  .st-key-board_main [data-testid="stLayoutWrapper"]:has([data-testid="stHorizontalBlock"]),
  .st-key-board_main [data-testid="stHorizontalBlock"] {{ display: contents; }}
  .st-key-board_main [data-testid="stColumn"] {{ order: 1; width: 100% !important; flex: 0 0 auto !important; }}
  .st-key-board_main [data-testid="stColumn"]:has(.js-plotly-plot, .stPlotlyChart) {{ order: 3; }}
  .st-key-board_body > [data-testid="stLayoutWrapper"]:has(> .st-key-board_top) {{ order: 2; }}
}}
</style>"""




def inject(lang: str) -> None:
    """The style sheet and the accessible names of the sidebar buttons (once per run)."""
    names = {"stExpandSidebarButton": tr("layout.open_sidebar", lang),
             "stSidebarCollapseButton": tr("layout.close_sidebar", lang)}
    # The words ride in a data attribute (escaped); the script itself is constant, so the deployment's
    # content-security policy allows exactly it by its hash (ui/page_script.py, deploy/up.py).
    labels = html.escape(json.dumps(names, ensure_ascii=False), quote=True)
    st.html(CSS + f'<div id="{page_script.LABELS_ELEMENT_ID}" hidden data-labels="{labels}"></div>'
            f"<script>{page_script.BODY}</script>", unsafe_allow_javascript=True)


def summary_line(evaluation: state.Evaluation, lang: str) -> tuple[str, str] | None:
    """(first line, second line) of the pinned summary as plain text; None without an assessment."""
    a = evaluation.assessment
    if a is None:
        return None
    status = tr(f"status.{a.status.category.value}", lang)
    if evaluation.stale:
        status += f" ({tr('stale.short', lang)})"
    lead = confirm_text(a, lang)
    timing = lead or f"{tr('assess.timing', lang)}: {tr('timing.' + a.timing.recommendation.value, lang)}"
    if a.suggestions:
        pack_key = f"pack.{a.pack.id}" if a.pack is not None else ""
        pack = tr(pack_key, lang) if pack_key and has(pack_key) else (a.pack.name.get(lang) if a.pack else "")
        top = a.suggestions[0]
        second = tr("layout.pinned_top", lang, regimen=f"{top.regimen} — {top.name.get(lang)}", pack=pack)
    else:
        second = tr("layout.pinned_none", lang)
    return f"{status} · {timing}", second


def pinned_summary(evaluation: state.Evaluation, lang: str, hidden: bool = False) -> None:
    """The compact summary at the top of the main area (shown by the CSS on narrow screens only)."""
    if hidden:
        return
    lines = summary_line(evaluation, lang)
    if lines is None:
        return
    first, second = lines
    with st.container(key="pinned_summary"):
        st.markdown(f"**{safe.text(first)}**  \n{safe.text(second)}")
