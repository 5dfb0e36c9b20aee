"""Card YAML is data: no tags that build objects, no aliases, no duplicate keys, clear positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.cards.cardfiles import CardError, load_card
from macros.cards.yamlio import YamlError, load_plain


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: !!python/object/apply:os.system ['echo hi']\n", 2, "python/object"),
        ("a: &x [1, 2]\nb: *x\n", 1, "aliases"),  # the line of the anchor
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: [1, 2\nb: 3\n", 2, ""),
        ("a:\n\tb: 1\n", 2, ""),
    ],
)
def test_unsafe_or_ambiguous_yaml_is_refused_with_its_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "card.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(YamlError) as error:
        load_plain(path)
    assert error.value.line == line
    assert message in error.value.message


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(YamlError, match="aliases"):
        load_plain(path)


def test_deeply_nested_yaml_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.yml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(YamlError) as error:  # the wording is the YAML library's or ours
        load_plain(path)
    assert error.value.line == 1
    assert str(error.value).startswith(f"{path}:1")


def test_card_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "x-2020-crmo.yml"
    path.write_text(
        "id: x-2020-crmo\ncitekey: X2020\ntopic: crmo\nsource:\n  file: seeds/x.txt\n"
        "  sha256: abc\n  format: unknown\n  languages: [en]\nyear: next year\n",
        encoding="utf-8",
    )
    with pytest.raises(CardError) as error:
        load_card(path)
    text = str(error.value)
    assert f"{path}:6:3: E-SCHEMA source.sha256:" in text
    assert f"{path}:9:1: E-SCHEMA year:" in text
