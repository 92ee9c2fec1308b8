"""Start the app's Streamlit server with the app's modules imported from the first second.

``python serve.py run app.py [streamlit options]`` is ``streamlit run app.py …`` plus one thing:
a background thread imports what app.py and the first page import (the UI, the clinical core,
pandas, the case store) while the server starts and the browser loads Streamlit's scripts, so the
first run of app.py finds them in ``sys.modules`` instead of importing them then. Nothing else
changes (same options, same config, same process).
"""

from __future__ import annotations

import sys
import threading

PRELOAD = ("ui.library_session", "ui.grids", "ui.sidebar", "ui.state", "ui.auth", "ui.contemporary_view",
           "ui.forms", "ui.history", "ui.widgets", "ui.assessment_view", "mmlogic")


def _preload() -> None:
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # the first run of app.py imports it again and shows any error there
            return


if __name__ == "__main__":
    threading.Thread(target=_preload, name="mmnav-preload", daemon=True).start()
    from streamlit.web.cli import main

    sys.argv = ["streamlit", *sys.argv[1:]]
    sys.exit(main())
