"""What to repeat and what each line is judged on (catalog 1.1: WATCH-CONFIRM, MARKER-FOLLOWED).

Plain functions assessment -> plain text (never Markdown or HTML): each caller escapes with its
own helper, as it does for every text that may come from a case.
"""

from __future__ import annotations

from mmlogic.assessment import Assessment, LineResult

from .i18n import has, tr

__all__ = ["ESCAPE_WORDS", "confirm_text", "followed_names", "followed_text", "lines_followed"]

# The label every view gives light-chain escape (BIO-FLC-ESCAPE, ASSUME-LC-ESCAPE).
ESCAPE_WORDS = "watch.escape"


def _marker(name: str, lang: str) -> str:
    key = f"analyte.{name}"
    return tr(key, lang) if has(key) else name


def _num(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"


def confirm_text(a: Assessment, lang: str) -> str | None:
    """One sentence that leads every view when the timing is `confirm`: the marker, the value and
    date that qualified, the value that would confirm it and the latest values; None otherwise."""
    box = a.timing.confirm
    if a.timing.recommendation.value != "confirm" or box is None:
        return None
    marker = _marker(box.marker, lang)
    if box.rule == "BIO-FLC-ESCAPE":
        marker += f" ({tr(ESCAPE_WORDS, lang)})"
    value = f"{_num(box.qualifying_value)} {box.unit}" if box.qualifying_value is not None else tr(
        "watch.detectable_now", lang)
    if box.confirming_detectable:
        need = tr("watch.need_detectable", lang)
    elif box.confirming_value is not None:
        need = tr("watch.need_value", lang, value=_num(box.confirming_value), unit=box.unit)
    else:
        need = tr("watch.need_again", lang)
    latest = ", ".join(f"{_num(p.value)} {box.unit} ({p.date.isoformat()})" for p in box.latest_values)
    return tr("watch.confirm", lang, marker=marker, value=value, date=box.qualifying_date.isoformat(),
              need=need, latest=latest or "–")


def followed_text(line: LineResult, lang: str) -> str:
    """The markers a line is judged on, each with why: 'serum M-protein (measurable at baseline), …'."""
    if not line.followed_markers:
        return tr("watch.none_followed", lang)
    return ", ".join(f"{_marker(m.marker, lang)} ({tr('watch.why.' + m.why, lang)})" for m in line.followed_markers)


def followed_names(line: LineResult, lang: str) -> str:
    """The followed markers' names only (a headline; ``followed_text`` adds why)."""
    return ", ".join(_marker(m.marker, lang) for m in line.followed_markers) or tr("watch.none_followed", lang)


def lines_followed(a: Assessment, lang: str) -> list[str]:
    """One plain line per therapy line: 'Line 2 (Rd): serum M-protein (measurable at baseline)'."""
    return [tr("watch.line", lang, n=line.index + 1, regimen=line.regimen, markers=followed_text(line, lang))
            for line in a.lines]
