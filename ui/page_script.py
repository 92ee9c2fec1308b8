"""The app's one inline script, as a constant (no imports): its CSP hash is computed from this text
by the deployment (deploy/up.py), so the script runs under ``script-src 'self' 'sha256-…'`` and
nothing else inline does. It takes its words from a data attribute (per language), never from
its own text, so the hash is the same in every language.

What it does: the sidebar's expand/collapse buttons carry only an icon ligature
("keyboard_double_arrow_right"), which a screen reader reads out as that word; it gives them a name.
Static text, no case data.
"""

from __future__ import annotations

import base64
import hashlib

LABELS_ELEMENT_ID = "mmnav-a11y-labels"

BODY = """
(() => {
  const source = document.getElementById("mmnav-a11y-labels");
  if (source) { window.__mmnavLabelText = JSON.parse(source.dataset.labels || "{}"); }
  const label = () => {
    for (const [id, text] of Object.entries(window.__mmnavLabelText || {})) {
      document.querySelectorAll(`[data-testid="${id}"] button, button[data-testid="${id}"]`)
        .forEach((b) => { if (b.getAttribute("aria-label") !== text) b.setAttribute("aria-label", text); });
    }
  };
  label();
  if (!window.__mmnavLabels) {
    window.__mmnavLabels = new MutationObserver(label);
    window.__mmnavLabels.observe(document.body, {childList: true, subtree: true});
  }
})();
"""


def csp_hash() -> str:
    """The CSP hash-source of the script (``'sha256-…'``)."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(BODY.encode()).digest()).decode()}'"
