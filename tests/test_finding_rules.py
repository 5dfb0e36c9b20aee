"""Each figure rule on sentences written here, with the fields worked out by hand; the order in
which the rules claim a sentence; the parts of a paper; outcome labels; the number studied."""

from __future__ import annotations

import pytest

from macros.core.text import SeedText
from macros.extract.figures import RULES, Figure, Sentence, read_figures
from macros.extract.labels import outcome
from macros.extract.quantities import to_size
from macros.extract.reading import build_reading
from macros.extract.sections import Section, flattened_table, read_sections
from macros.extract.study import read_participants


def _only(text: str, section: Section = "results") -> Figure:
    figures = read_figures(Sentence(text, section))
    assert len(figures) == 1, figures
    return figures[0]


def _other(figure: Figure) -> float | None:
    """The other arm's figure."""
    return figure.comparator.value if figure.comparator else None


def test_rules_have_unique_names_in_a_declared_order() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert names.index("ratio") < names.index("percent-ci") < names.index("percent")


# -- ratios and estimates with intervals -------------------------------------------------------
def test_ratio_with_ci_and_p() -> None:
    figure = _only("Risk was higher (hazard ratio 2.87, 95% CI 1.21–6.80, p = 0.017).")
    assert (figure.rule, figure.ci_low, figure.ci_high) == ("ratio", 1.21, 6.80)
    assert (figure.p_value, figure.p_operator) == (0.017, "=")
    assert figure.value == "hazard ratio 2.87, 95% CI 1.21–6.80, p = 0.017"


def test_ratio_with_ci_unnamed_95_percent() -> None:
    figure = _only("More oocytes in Group B (OR of 0.47; CI: 0.38–0.57; P < 0.01).")
    assert (figure.ci_low, figure.ci_high, figure.p_value, figure.p_operator) == (
        0.38,
        0.57,
        0.01,
        "<",
    )


def test_ratio_outside_its_ci_is_noted() -> None:
    figure = _only("The odds ratio was 3.5 (95% CI 1.2–2.9).")
    assert [(n.code, n.message) for n in figure.notes] == [
        ("W-ARITHMETIC", "the 95% CI 1.2-2.9 does not contain the ratio 3.5")
    ]


def test_mean_difference_with_negative_bounds() -> None:
    figure = _only("No difference in cognition (MD = −0.55, 95% CI −2.00–0.90; p = 0.45).")
    assert (figure.rule, figure.ci_low, figure.ci_high, figure.p_value) == (
        "estimate-ci",
        -2.0,
        0.9,
        0.45,
    )
    assert figure.percent is None  # a difference in points is no percent


def test_named_difference_with_bracketed_interval() -> None:
    figure = _only("Leicester Cough Questionnaire mean difference 0.49, [-0.18 to 1.16], p = 0.15.")
    assert (figure.ci_low, figure.ci_high, figure.p_value) == (-0.18, 1.16, 0.15)


def test_percent_estimate_with_ci_closing_before_p() -> None:
    figure = _only("Fever fell by 16% (95% CI: 5 to 26%, p = 0.004).")
    assert (figure.rule, figure.percent, figure.ci_low, figure.ci_high, figure.p_value) == (
        "percent-ci",
        16.0,
        5.0,
        26.0,
        0.004,
    )


# -- comparisons --------------------------------------------------------------------------------
def test_percent_comparison_with_p() -> None:
    figure = _only("Accuracy was 96% with sCT vs 90% with T1-weighted MRI (P = .008).")
    assert figure.percent == 96.0
    assert _other(figure) == 90.0
    assert (figure.p_value, figure.p_operator) == (0.008, "=")


def test_fraction_comparison() -> None:
    figure = _only("Relapse was more frequent (13/20 vs 1/7, P = .03).")
    assert (figure.numerator, figure.denominator, figure.p_value) == (13, 20, 0.03)


def test_comparison_of_bare_numbers_keeps_the_other_arm() -> None:
    figure = _only("Satisfaction was higher with C-Flex (7.9 vs 7.2, p = 0.07).")
    assert _other(figure) == 7.2
    assert figure.mean is None  # not said to be a mean
    assert figure.p_value == 0.07


def test_comparison_of_medians_with_units_and_arms() -> None:
    figure = _only(
        "The median time to relief was 17.5 h for butoconazole patients as compared to 22.9 h "
        "for fluconazole patients (p < 0.001)."
    )
    assert (figure.median, figure.unit, figure.p_operator) == (17.5, "hours", "<")
    assert _other(figure) == 22.9


def test_comparison_of_sums_of_money() -> None:
    figure = _only("The overall cost was higher ($10,574 vs. $8,534, p = 0.021).")
    assert _other(figure) == 8534.0


def test_comparison_with_spreads_in_brackets() -> None:
    figure = _only("SPID was higher (least squares mean [SEM], 105.60 [10.14] vs 55.58 [13.11]).")
    assert _other(figure) == 55.58


def test_mean_sd_comparison() -> None:
    figure = _only("Function was poorer (28.6 ± 5.8% vs. 40.5 ± 7.4%, respectively, p < 0.05).")
    assert (figure.mean, figure.sd, figure.unit) == (28.6, 5.8, "%")
    assert _other(figure) == 40.5
    assert figure.p_value == 0.05


def test_change_from_one_time_to_another() -> None:
    figure = _only("Resistin fell in the experimental group (from 4.3 to 2.9 ng/ml).")
    assert (figure.rule, figure.unit) == ("change", "ng/ml")
    assert _other(figure) == 2.9


# -- averages, coefficients, times --------------------------------------------------------------
def test_median_with_range() -> None:
    figure = _only("The median delay was 7 months (range 2-26).")
    assert (figure.median, figure.unit, figure.range) == (7.0, "months", (2.0, 26.0))


def test_median_with_an_iqr_keeps_no_range() -> None:
    figure = _only("Median time to diagnosis 14 months (IQR 8-22).")
    assert (figure.median, figure.range) == (14.0, None)


def test_mean_sd_and_a_standard_error_that_is_no_sd() -> None:
    assert (_only("Mean age was 49.2 ± 9.0 years.").sd, _only("Age 49.2 ± 9.0.").unit) == (
        9.0,
        None,
    )
    figure = _only("Values (mean ± standard error) were 8.9 ± 0.6 ml/kg.")
    assert (figure.mean, figure.sd) == (8.9, None)


def test_mean_with_sd_in_brackets() -> None:
    figure = _only("Compliance was a mean of 5.9 days (SD 1.1).")
    assert (figure.mean, figure.sd, figure.unit) == (5.9, 1.1, "days")


def test_a_window_of_a_schedule_is_no_mean() -> None:
    assert read_figures(Sentence("The dose was raised on day 15 ± 1.", "methods")) == []


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("Agreement was high (κ = 0.84).", None),
        ("Resistance correlated inversely with GH (r s=−0.90, P<0.001).", None),
        ("Reliability was good (ICC ranged from 0.72 to 0.91).", (0.72, 0.91)),
    ],
)
def test_coefficients(text: str, bounds: tuple[float, float] | None) -> None:
    figure = read_figures(Sentence(text, "results"))[0]
    assert (figure.rule, figure.range) == ("coefficient", bounds)


def test_mean_stated_without_a_verb() -> None:
    figure = _only("Walk time improved (median pre-treatment time for both groups 10.9 seconds).")
    assert (figure.median, figure.unit, figure.named) == (
        10.9,
        "seconds",
        "median pre-treatment time for both groups",
    )


def test_duration() -> None:
    figure = _only("The time to first relief occurred at 17 hours in this group.")
    assert (figure.rule, figure.unit, figure.mean, figure.median) == (
        "duration",
        "hours",
        None,
        None,
    )


# -- counts and percents ------------------------------------------------------------------------
def test_fraction_with_percent() -> None:
    figure = _only("Clavicle involved in 9/17 (52.9%).")
    assert (figure.numerator, figure.denominator, figure.percent) == (9, 17, 52.9)


def test_count_with_percent_takes_the_total_before_it() -> None:
    figure = _only("Of 42 children, 31 (73.8%) had a silent lesion.")
    assert (figure.numerator, figure.denominator, figure.percent) == (31, 42, 73.8)


def test_count_whose_percent_does_not_add_up_is_noted() -> None:
    figure = _only("Relapse in 7/17 (45.0%).")
    assert [(n.code, n.message) for n in figure.notes] == [
        ("W-ARITHMETIC", "7/17 is 41.18%, not the stated 45.0%: check the source")
    ]


def test_of_total_in_words() -> None:
    figure = _only("Five of the nine patients were HLA B27 negative.")
    assert (figure.numerator, figure.denominator) == (5, 9)


def test_one_of_three_groups_is_no_count() -> None:
    assert read_figures(Sentence("They were assigned to one of three groups.", "methods")) == []


def test_bare_percent_in_results_only() -> None:
    figure = _only("Rotavirus caused the illness in 63% of the patients.")
    assert (figure.rule, figure.percent) == ("percent", 63.0)
    assert read_figures(Sentence("About 20% of women are affected.", "front")) == []


def test_signed_percent_is_a_change_not_a_share() -> None:
    assert _only("Cortisol exposure fell (−16%).").percent is None


@pytest.mark.parametrize(
    "text",
    [
        "Pain fell in ≥30% of subjects.",  # a threshold
        "They applied butoconazole 2% cream once.",  # a strength
    ],
)
def test_percent_that_is_no_result(text: str) -> None:
    assert read_figures(Sentence(text, "results")) == []


# -- P values and what is left ------------------------------------------------------------------
def test_p_value_on_its_own() -> None:
    figure = _only("The needlescopic group had a shorter mean operative time (p = 0.02).")
    assert (figure.rule, figure.p_value, figure.p_operator) == ("p-value", 0.02, "=")


@pytest.mark.parametrize(
    ("text", "value", "operator"),
    [
        ("Blood glucose decreased (P = 0·024).", 0.024, "="),
        ("Lutein had an effect on visual field (p-value: 0.038).", 0.038, "="),
        ("Torque was reduced (p’s < .05).", 0.05, "<"),
        ("Glucose rose in the four groups (< 0.001).", 0.001, "<"),
        ("The trend was significant (P for trend = 0.03).", 0.03, "="),
    ],
)
def test_p_value_spellings(text: str, value: float, operator: str) -> None:
    figure = _only(text)
    assert (figure.p_value, figure.p_operator) == (value, operator)


def test_a_significance_level_is_no_result() -> None:
    assert read_figures(Sentence("P < 0.05 was considered significant.", "front")) == []
    assert read_figures(Sentence("Values were compared (p = 0.03).", "methods")) == []


def test_p_value_goes_to_the_figure_just_before_it() -> None:
    figures = read_figures(
        Sentence("Erosion (94% vs 86%, P = 0.003) and sclerosis (97% vs 81%).", "results")
    )
    assert [f.p_value for f in figures] == [0.003, None]


def test_decimal_and_measured_values_left_in_results() -> None:
    figures = read_figures(
        Sentence("The ratio increased to 0.039 and SBP fell by 12 mmHg.", "results")
    )
    assert [(f.value, f.unit) for f in figures] == [("0.039", None), ("12 mmHg", "mmHg")]
    assert read_figures(Sentence("Deficiency (< 20 ng/mL) was common.", "results")) == []


def test_bracketed_interval_keeps_its_bounds_in_the_value() -> None:
    figure = _only("Propofol use was higher in group 1 (9.25 [7.3–13.2]).")
    assert (figure.value, figure.ci_low) == ("9.25 [7.3–13.2]", None)


def test_methods_keep_counts_and_averages_but_no_doses_or_plans() -> None:
    text = "Patients (mean age 45 ± 12 years) received 10 mg/d for 12 weeks (P < 0.05 planned)."
    figures = read_figures(Sentence(text, "methods"))
    assert [f.rule for f in figures] == ["mean-sd"]


# -- the parts of a paper -----------------------------------------------------------------------
def _sections(text: str) -> list[tuple[str, Section]]:
    reading = build_reading(SeedText.from_bytes("seeds/x.txt", text.encode()))
    sections = read_sections(reading)
    return [
        (reading.text[s:].split()[0], k)
        for s, k in zip(sections.starts, sections.kinds, strict=True)
    ]


def test_sections_from_labels_headings_and_run_in_words() -> None:
    text = (
        "BACKGROUND: Prolapse is common. METHODS AND RESULTS: 50 women took part.\n\n"
        "Results\nThe pain fell. Discussion The effect held.\n\nReferences\n1. Smith J."
    )
    assert _sections(text) == [
        ("BACKGROUND:", "background"),
        ("METHODS", "results"),
        ("Results", "results"),
        ("Discussion", "results"),
        ("References", "back"),
    ]


def test_a_lower_case_word_is_no_heading() -> None:
    assert _sections("We list the following results: 3 of 4 improved.") == []


def test_flattened_table() -> None:
    assert flattened_table("n (%) Effusion105 (36.5)20 (37.7)35 (38.0)20 (37.7)0.97")
    assert not flattened_table("Relapse occurred in 7 (41%) and remission in 10 (59%).")


# -- outcome labels -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "The needlescopic group had a significantly shorter mean operative time (p",
            "mean operative time",
        ),
        ("Ashworth scores were unchanged (p", "Ashworth scores"),
        ("Participants reported improved appetite compared to those on placebo (p", "appetite"),
        ("In women, differences were found in usual activities (p", "usual activities"),
        (
            "The difference between groups in loss of JSW at 12 months was not significant (P",
            "difference in loss of JSW",
        ),
        (
            "EMG threshold and burst duration were significantly reduced at fast speeds (p",
            "EMG threshold and burst duration",
        ),
    ],
)
def test_outcome_is_the_noun_phrase_before_the_figure(text: str, label: str) -> None:
    assert outcome(text, len(text) - 2) == label


# -- how many took part -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("METHODS: A total of 40 patients with severe sepsis were included.", 40),
        ("We studied 181 female patients with vulvovaginal candidiasis.", 181),
        ("One hundred and fifteen patients with RA were randomised to two arms.", 115),
        ("In this retrospective review of 62 children, relapse was common.", 62),
        ("Thirty two adult asthmatics completed the trial.", 32),
        ("A total of 4,548 individuals were offered a place, and 497 were randomised.", 497),
        ("One group consisted of 16 participants. We included 34 participants: 16 and 18.", 34),
        ("50 Participants were allocated into two groups (25 in each group).", 50),
        ("The study group comprised 40 patients with RA.", 40),
        ("We report the case of a 45-year-old woman with sacroiliitis.", 1),
        ("No one was counted here.", None),
    ],
)
def test_participants(text: str, count: int | None) -> None:
    assert read_participants(text).count == count


def test_participants_that_disagree_give_a_note_not_a_pick() -> None:
    found = read_participants("120 patients were enrolled. Later, 98 patients were included.")
    assert found.count is None
    assert [(n.code, n.field, n.message) for n in found.notes] == [
        (
            "W-PARTICIPANTS-DISAGREE",
            "participants",
            "the source states different numbers of participants (98, 120): set by hand",
        )
    ]


def test_a_group_of_the_study_is_not_its_size() -> None:
    text = "A total of 39 patients were randomized. 22 were enrolled in the selenium group."
    assert read_participants(text).count == 39


@pytest.mark.parametrize(
    ("text", "size"),
    [("4,548", 4548), ("One hundred and twenty-one", 121), ("Thirty two", 32), ("seventy", 70)],
)
def test_sizes_in_digits_and_words(text: str, size: int) -> None:
    assert to_size(text) == size


def test_a_figure_past_the_card_bounds_is_a_note_not_a_finding() -> None:
    """The seed fuzzer built a card with a 68-digit mean, which no card loader reads back."""
    from macros.cards.taxonomy import default_taxonomy
    from macros.core.text import SeedText
    from macros.shapes import extract
    from macros.shapes.assemble import build_card

    text = (
        "Results\nThe mean time to remission was 111111111111111111111111111111 vs 7.8 months, "
        "P = .02.\nThe mean dose was 99999999999999999999999999 ± 3 mg in the group studied.\n"
    )
    seed = SeedText.from_bytes("seeds/x.txt", text.encode())
    card = build_card(seed, extract(seed), default_taxonomy(), None, set(), set())
    assert card.findings == []
    assert sum(note.startswith("W-FIGURE-SKIPPED findings:") for note in card.review.notes) == 2
    assert card.review.status == "needs-review"
