"""How strong a study's design is: a level of evidence, derived from the card's `design`.

The scale is the Oxford CEBM 2011 Levels of Evidence (OCEBM Levels of Evidence Working Group,
"The Oxford 2011 Levels of Evidence", Oxford Centre for Evidence-Based Medicine), read from the
row of the question a design answers:
- diagnostic accuracy: a prospective (consecutive, reference standard applied to all) study is
  level 2, a retrospective one level 3 (non-consecutive, or a reference not applied to all);
- treatment and harms: a randomised trial is level 2, a prospective or retrospective cohort
  level 3, a historically controlled cohort, a case series or a cross-sectional survey level 4;
- a systematic review is level 1 (its grade still depends on the studies it pools);
- a single case report is not on the 2011 table: it is placed at level 5 with mechanism-based
  reasoning and narrative reviews, below case series, since it describes one patient.
A design the source does not state has no level ("not rated"). The level is a property of the
design only: a badly done trial is still level 2 here, which is why certainty (GRADE) is a
separate, editor-set judgement per outcome.
"""

from __future__ import annotations

from .model import Design

LEVELS: dict[Design, int] = {
    "systematic review": 1,
    "randomized controlled trial": 2,
    "prospective diagnostic accuracy study": 2,
    "prospective cohort": 3,
    "retrospective cohort": 3,
    "retrospective diagnostic accuracy study": 3,
    "historical cohort": 4,
    "cross-sectional study": 4,
    "case series": 4,
    "case report": 5,
    "review": 5,
}
SCALE = "Oxford CEBM 2011"


def level(design: Design | None) -> int | None:
    """The level of a design (1 strongest, 5 weakest), or None when the design is not known."""
    return LEVELS.get(design) if design is not None else None


def level_text(design: Design | None) -> str:
    found = level(design)
    return f"Level {found}" if found is not None else "not rated"
