"""Plot slots: where a topic page's forest plots go once its HTML passed the allowlist.

The allowlist has no `<svg>`: `summary.py` writes an empty slot per plot, and the page hook fills
it with the SVG (`forest.py`), never an editor's. An editor who copies a slot only gets the same
plot again. Apart from `summary.py` so that the hooks fill slots without importing matplotlib.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLOT_SLOT = '<div class="forest-plot__svg" id="{id}"></div>'
_SLOT = re.compile(r'<div class="forest-plot__svg" id="(plot-[a-z0-9-]+)"></div>')


def fill_plot_slots(html: str, plots: Mapping[str, str]) -> str:
    """The page with each plot's SVG in its slot (an unknown slot stays an empty div)."""
    return _SLOT.sub(lambda m: plots.get(m.group(1), m.group(0)), html)
