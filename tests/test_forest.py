"""Forest plots (macros/site/forest.py): inline SVG that is deterministic, accessible, linked,
themable, and keeps card text as text."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import matplotlib as mpl
import pytest

from macros.site.forest import ForestRow, PairedRow, forest_svg, paired_forest_svg
from macros.site.pooling import Interval, NotPooled, Pooled

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
POOLED = Pooled(0.22, 0.12, 0.36, 66.6, 0.256, 3, 150, "random effects", (0.34, 0.39, 0.27))
ROWS = [
    ForestRow("Erol 2025", "../studies/erol-2025/", 0.2, 0.112, 0.33, 0.34),
    ForestRow("Akyıldız 2021", "../studies/akyildiz-2021/", 0.333, 0.227, 0.459, 0.39),
    ForestRow("Jans 2021", "../studies/jans-2021/", 0.125, 0.055, 0.261, 0.27),
]
HOSTILE = [
    "<script>alert(1)</script>",
    '" onload="x',
    "$\\alpha$",
    "{{ x }} [@Key2020] *em* `c` {% raw %}",
]
PAIRED = [
    PairedRow(
        "Jans 2021",
        "../studies/jans-2021/",
        Interval(0.9, 0.786, 0.957, "Wilson"),
        Interval(0.905, 0.779, 0.962, "Wilson"),
    ),
    PairedRow("Erol 2025", "../studies/erol-2025/", Interval(0.8, None, None, "no CI"), None),
]


def forest(rows: list[ForestRow] = ROWS, title: str = "Sacroiliitis on isotretinoin") -> str:
    return forest_svg(
        rows,
        POOLED,
        title=title,
        desc="Three studies; pooled proportion 22% (12% to 36%).",
        x_label="Patients with sacroiliitis (%)",
        percent=True,
    )


def paired() -> str:
    return paired_forest_svg(
        PAIRED,
        NotPooled("fewer than two studies state counts: not pooled"),
        NotPooled("one study: nothing to pool"),
        title="Synthetic CT accuracy",
        desc="Sensitivity and specificity of synthetic CT against CT.",
    )


def root(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_two_calls_give_the_same_bytes() -> None:
    assert forest() == forest()
    assert paired() == paired()


def test_a_fresh_interpreter_gives_the_same_bytes() -> None:
    """No salt, date or id comes from the process (matplotlib's default salt is a uuid4)."""
    code = "from tests.test_forest import forest; import sys; sys.stdout.write(forest())"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, encoding="utf-8"
    )
    assert done.stdout == forest()


@pytest.mark.parametrize("make", [forest, paired])
def test_inline_svg_without_declaration_or_fixed_size(make: object) -> None:
    assert callable(make)
    svg: str = make()
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "\n" not in svg  # a blank line would end a Markdown HTML block
    element = root(svg)
    assert element.get("width") == "100%"
    assert element.get("height") is None
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", element.get("viewBox", ""))
    assert "pt" not in (element.get("width") or "")


@pytest.mark.parametrize("make", [forest, paired])
def test_title_and_desc_come_first_and_name_the_plot(make: object) -> None:
    assert callable(make)
    element = root(make())
    title, desc = list(element)[:2]
    assert title.tag == f"{SVG}title"
    assert desc.tag == f"{SVG}desc"
    assert element.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert element.get("role") == "group"  # not img: an img's links would be presentational


def test_title_and_desc_are_the_callers_text() -> None:
    element = root(forest())
    assert element.findtext(f"{SVG}title") == "Sacroiliitis on isotretinoin"
    assert element.findtext(f"{SVG}desc") == "Three studies; pooled proportion 22% (12% to 36%)."


def test_each_study_links_to_its_page() -> None:
    links = root(forest()).iter(f"{SVG}a")
    found = {(a.get("href"), a.get(XLINK), "".join(a.itertext())) for a in links}
    assert found == {(row.href, row.href, row.label) for row in ROWS}
    assert "_blank" not in forest()


def test_paired_plot_links_each_study_and_shows_both_sides() -> None:
    element = root(paired())
    assert {a.get("href") for a in element.iter(f"{SVG}a")} == {row.href for row in PAIRED}
    text = " ".join(t for node in element.iter(f"{SVG}text") for t in node.itertext())
    for expected in ("Sensitivity", "Specificity", "90.0% (78.6–95.7)", "90.5% (77.9–96.2)"):
        assert expected in text
    assert "80.0% (CI not stated)" in text
    assert "not stated" in text  # Erol 2025 states no specificity
    assert "Specificity: one study: nothing to pool." in text


def test_plot_ids_differ_between_plots_and_repeat_within_none() -> None:
    def ids(svg: str) -> list[str]:
        return [i for node in root(svg).iter() if (i := node.get("id"))]

    first, second = ids(forest()), ids(forest(title="Another outcome"))
    assert len(set(first)) == len(first)
    assert not set(first) & set(second)
    assert not any(re.fullmatch(r"(figure|axes|patch|text|line2d)_\d+", i) for i in first)


def test_colours_follow_the_theme() -> None:
    svg = forest() + paired()
    assert "currentColor" in svg
    for fixed in ("#000000", "#010203", "black", "#ffffff", "white"):
        assert fixed not in svg
    assert "<style" not in svg  # matplotlib's `*{…}` rule would restyle the whole page


def test_a_label_like_a_colour_or_a_style_stays_as_written() -> None:
    label = 'fill: #010203 target="_blank"'
    row = ForestRow(label, "../studies/a/", 0.5)
    svg = forest_svg([row], None, title="t", desc="d", x_label="x", percent=True)
    assert "".join(next(root(svg).iter(f"{SVG}a")).itertext()) == label


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_stay_text(label: str) -> None:
    rows = [ForestRow(label, "../studies/a/", 0.5, 0.4, 0.6), *ROWS[1:]]
    svg = forest_svg(rows, None, title=label, desc=label, x_label=label, percent=True)
    element = root(svg)
    assert {node.tag for node in element.iter()} <= {
        f"{SVG}{tag}" for tag in ("svg", "title", "desc", "g", "a", "text", "path", "defs", "use")
    } | {f"{SVG}clipPath", f"{SVG}rect"}
    for node in element.iter():
        assert not any(name.startswith("on") for name in node.attrib)
    link = next(element.iter(f"{SVG}a"))
    assert "".join(link.itertext()) == label
    assert element.findtext(f"{SVG}title") == label
    for raw in ("<script", "$", "{{", "{%", "[@", "*em*", "`"):
        assert raw not in svg  # escaped for HTML, and inert to Markdown, Jinja and citations
    assert "<!--" not in svg  # mathtext writes its source as a comment: it did not run


def test_an_html_parser_sees_no_script_and_no_event_handler() -> None:
    svg = forest_svg(
        [ForestRow(label, "../studies/a/", 0.5) for label in HOSTILE],
        None,
        title=HOSTILE[0],
        desc=HOSTILE[1],
        x_label="x",
        percent=True,
    )
    seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            seen.append((tag, attrs))

    Tags().feed(f"<!doctype html><body>{svg}</body>")
    assert "script" not in {tag for tag, _ in seen}
    assert not any(name.startswith("on") for _, attrs in seen for name, _ in attrs)


def test_an_href_is_escaped_and_a_script_href_refused() -> None:
    odd = '../studies/a"b<c>/{{x}}/#[@Key]'
    svg = forest_svg(
        [ForestRow("A", odd, 0.5)], None, title="t", desc="d", x_label="x", percent=True
    )
    link = next(root(svg).iter(f"{SVG}a"))
    assert (link.get("href"), link.get(XLINK)) == (odd, odd)
    assert "{{" not in svg
    assert "[@" not in svg
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "a\nb", "a b"):
        with pytest.raises(ValueError, match="not a page address"):
            forest_svg(
                [ForestRow("A", bad, 0.5)], None, title="t", desc="d", x_label="x", percent=True
            )


def test_not_pooled_shows_the_reason() -> None:
    reason = "the studies' denominators differ in kind (lesions vs patients): not pooled"
    svg = forest_svg(
        ROWS, NotPooled(reason), title="t", desc="d", x_label="Patients (%)", percent=True
    )
    text = " ".join(t for node in root(svg).iter(f"{SVG}text") for t in node.itertext())
    assert "The studies' denominators differ in kind (lesions vs patients): not pooled." in text
    assert "not pooled (see note)" in text


def test_means_on_their_own_scale() -> None:
    rows = [
        ForestRow("A 2020", "../studies/a/", 10, 9.12, 10.88, 0.34),
        ForestRow("B 2021", "../studies/b/", 12, 10.9, 13.1, 0.66),
    ]
    mean = Pooled(11.3, 9.7, 12.9, 80.0, 1.2, 2, 50, "random effects", (0.34, 0.66))
    svg = forest_svg(rows, mean, title="Age", desc="d", x_label="Age (years)", percent=False)
    text = " ".join(t for node in root(svg).iter(f"{SVG}text") for t in node.itertext())
    assert "10.0 (9.1–10.9)" in text
    assert "11.3 (9.7–12.9)" in text
    assert "Pooled, 2 studies (n = 50)" in text
    assert "10.0%" not in text


def test_matplotlib_settings_do_not_leak() -> None:
    before = dict(mpl.rcParams)
    forest()
    paired()
    assert dict(mpl.rcParams) == before
