"""The ranked regimen suggestions, rendered ONE way (issue #16): the Assessment page, the tumor
board and the printed report all show a suggestion from the same text model.

``suggestion_text(s, lang)`` is that model: every text translated once (the regimen's name, the
drug count with the drugs' names in ``lang``, each reason and caution with its rule id). The
renderers only lay it out, and every text passes through ``ui.safe.text`` on its way out:

- ``markdown(s, lang)``     Streamlit Markdown: one card of the Assessment page, one column of the
                            board (``heading=True``: the rank and regimen as a heading);
- ``html(suggestions, lang)``  the report's fragment (``<ol class="sugg">``, styled by ui/report.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mmlogic.assessment import Suggestion

from .assessment_view import rules_html
from .i18n import tr
from .phrases import drugs_text
from .safe import text as e

__all__ = ["Line", "SuggestionText", "html", "markdown", "one_line", "suggestion_text"]

PLUS, MINUS, CAUTION = "+", "−", "!"
# How each renderer shows the sign of a line: Streamlit's coloured icons, the report's glyphs.
ICONS = {PLUS: ":green[:material/add_circle:]", MINUS: ":red[:material/remove_circle:]",
         CAUTION: ":orange[:material/warning:]"}


@dataclass(frozen=True)
class Line:
    sign: str  # PLUS / MINUS: a reason that ranks up / down; CAUTION: never changes the rank
    rule: str
    text: str


@dataclass(frozen=True)
class SuggestionText:
    """One suggestion's texts in one language, not yet escaped."""

    rank: int
    regimen: str
    name: str
    drugs: str  # "3 drugs: …" with the drugs' names in the language
    family: str | None  # the regimen's CLASS-* family, when the core names one
    lines: tuple[Line, ...]

    @property
    def rule_ids(self) -> list[str]:
        return [*([self.family] if self.family else []), *(line.rule for line in self.lines)]

    def texts(self) -> list[str]:
        """Every text a reader sees, in order (what the three places must agree on)."""
        return [f"{self.rank}. {self.regimen}", self.name, self.drugs,
                *(f"{line.sign} {line.text} [{line.rule}]" for line in self.lines)]


def suggestion_text(s: Suggestion, lang: str) -> SuggestionText:
    reasons = tuple(Line(PLUS if r.effect == "+" else MINUS, r.rule, r.text.get(lang)) for r in s.reasons)
    cautions = tuple(Line(CAUTION, c.rule, c.text.get(lang)) for c in s.cautions)
    return SuggestionText(
        rank=s.rank, regimen=s.regimen, name=s.name.get(lang),
        drugs=tr("assess.drugs", lang, n=s.n_drugs, drugs=drugs_text(s.drugs, lang)),
        family=getattr(s, "family", None), lines=reasons + cautions,
    )


def markdown(s: Suggestion, lang: str, details: bool = True, heading: bool = False) -> str:
    """Streamlit Markdown of one suggestion; ``details``: the rule ids expand to their explanations
    (HTML: render with ``unsafe_allow_html``); ``heading``: rank and regimen as a heading (board)."""
    m = suggestion_text(s, lang)
    family = f" · `{m.family}`" if m.family else ""  # ids of the core inside code spans: never case text
    if heading:
        head = [f"### {m.rank}. {e(m.regimen)}", f"{e(m.name)} · {e(m.drugs)}{family}"]
    else:
        head = [f"**{m.rank}. {e(m.regimen)}** — {e(m.name)} · {e(m.drugs)}{family}"]
    body = [f"{ICONS[line.sign]} `{line.rule}` {e(line.text)}" for line in m.lines]
    out = head[0] + ("\n\n" + head[1] if heading else "")
    out = "  \n".join([out, *body])
    return out + rules_html(m.rule_ids, lang) if details else out


def one_line(s: Suggestion, lang: str) -> str:
    """The compact form for a list: ``1. **Rd** — <the regimen's name>``."""
    m = suggestion_text(s, lang)
    return f"{m.rank}. **{e(m.regimen)}** — {e(m.name)}"


def html(suggestions: Iterable[Suggestion], lang: str) -> str:
    """The report's fragment: an ordered list, one item per suggestion (or the "none" note)."""
    items = []
    for m in (suggestion_text(s, lang) for s in suggestions):
        rows = "".join(f'<li data-sign="{line.sign}">{e(line.text)} <span class="ids">[{e(line.rule)}]</span></li>'
                       for line in m.lines)
        items.append(f'<li><span class="rank">{m.rank}. {e(m.regimen)}</span><br>{e(m.name)} '
                     f'<span class="detail">({e(m.drugs)})</span><ul>{rows}</ul></li>')
    if not items:
        return f"<p>{e(tr('side.no_suggestions', lang))}</p>"
    return f'<ol class="sugg">{"".join(items)}</ol>'
