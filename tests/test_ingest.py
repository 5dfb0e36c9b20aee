"""Ingest as editors and CI rely on it: idempotent, edit-preserving, safe with bad seeds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from macros.cards.bib import bibliography
from macros.cards.cardfiles import CardCache, load_card, load_cards
from macros.cards.model import Card
from macros.cards.project import Project
from macros.cards.taxonomy import default_taxonomy
from macros.cards.yamlio import dump_round_trip, load_round_trip
from macros.commands.cli import main
from macros.commands.ingest import Report, ingest

from .conftest import ROOT

EROL_SEED = "000_450730007b657565.txt"


def _run(root: Path) -> tuple[Project, Report]:
    paths = Project.at(root)
    return paths, ingest(paths, default_taxonomy())


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "seeds" not in p.parts
    }


def _card_path(paths: Project, seed: str) -> Path:
    for path in paths.cards.glob("*.yml"):
        if load_card(path).source.file.endswith(seed):
            return path
    raise AssertionError(f"no card for {seed}")


def test_second_run_changes_no_byte(workspace: Path) -> None:
    _run(workspace)
    before = _snapshot(workspace)
    mtimes = {p: p.stat().st_mtime_ns for p in workspace.rglob("*") if p.is_file()}
    _, report = _run(workspace)
    assert _snapshot(workspace) == before
    assert report.unchanged == 5
    assert report.written == 0
    assert {p: p.stat().st_mtime_ns for p in workspace.rglob("*") if p.is_file()} == mtimes


def test_editor_edits_comments_and_order_survive_a_changed_seed(workspace: Path) -> None:
    paths, _ = _run(workspace)
    card_path = _card_path(paths, EROL_SEED)
    card = load_round_trip(card_path)
    card["findings"][0]["label"] = "persistent inflammation on follow-up MRI"
    card["review"]["status"] = "reviewed"
    card["review"]["by"] = "A. Editor"
    card.yaml_add_eol_comment("checked against the PDF", "design")
    card.move_to_end("citekey")  # an editor's own key order
    card_path.write_text(dump_round_trip(card), encoding="utf-8")
    seed = workspace / "seeds" / EROL_SEED
    seed.write_bytes(seed.read_bytes() + b"\nAn appended line that changes the sha256.\n")

    _, report = _run(workspace)

    text = card_path.read_text(encoding="utf-8")
    merged = load_round_trip(card_path)
    assert merged["findings"][0]["label"] == "persistent inflammation on follow-up MRI"
    assert merged["review"]["status"] == "reviewed"
    assert merged["review"]["by"] == "A. Editor"
    assert "# checked against the PDF" in text
    assert list(merged)[-1] == "citekey"
    assert merged["source"]["sha256"] != card["source"]["sha256"]  # untouched: updated
    assert report.errors == []


def test_conflicting_change_keeps_the_editor_value_and_reports_it(workspace: Path) -> None:
    paths, _ = _run(workspace)
    card_path = _card_path(paths, EROL_SEED)
    card = load_round_trip(card_path)
    card["participants"] = 17
    card_path.write_text(dump_round_trip(card), encoding="utf-8")
    seed = workspace / "seeds" / EROL_SEED
    seed.write_bytes(seed.read_bytes().replace(b"Among the 16 patients", b"Among the 18 patients"))

    _, report = _run(workspace)

    assert load_round_trip(card_path)["participants"] == 17
    warnings = [str(w) for w in report.warnings if w.code == "W-MERGE-CONFLICT"]
    assert any("participants" in w and "18" in w and "17" in w for w in warnings), warnings


def test_bad_seeds_are_reported_and_the_rest_still_ingested(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "seeds" / "empty.txt").write_bytes(b"")
    (workspace / "seeds" / "binary.txt").write_bytes(bytes(range(256)) * 40)
    status = main(["ingest", "--root", str(workspace)])
    captured = capsys.readouterr()
    assert status == 1
    assert "seeds/empty.txt: E-SEED-UNREADABLE file is empty" in captured.err
    assert "seeds/binary.txt: E-SEED-UNREADABLE file looks binary" in captured.err
    assert "7 seeds read, 5 cards written, 0 unchanged, 0 warnings, 2 errors" in captured.out
    assert len(list((workspace / "docs" / "cards").glob("*.yml"))) == 5
    assert not list(workspace.rglob("*.tmp"))


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert main(["ingest", "--root", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_ids_and_citekeys_stay_stable_when_a_colliding_seed_arrives(workspace: Path) -> None:
    paths, _ = _run(workspace)
    before = {
        load_card(p).source.file: (load_card(p).id, load_card(p).citekey)
        for p in paths.cards.glob("*.yml")
    }
    twin = (workspace / "seeds" / EROL_SEED).read_bytes().replace(b"Among the 16", b"Among the 15")
    (workspace / "seeds" / "0000_twin.txt").write_bytes(twin)
    _run(workspace)
    after = {
        load_card(p).source.file: (load_card(p).id, load_card(p).citekey)
        for p in paths.cards.glob("*.yml")
    }
    assert {k: after[k] for k in before} == before
    twin_id, twin_key = after["seeds/0000_twin.txt"]
    assert twin_key == "Erol2025b"
    assert twin_id == "erol-2025-isotretinoin-sacroiliitis-b"


def test_output_does_not_depend_on_hash_seed_or_locale(tmp_path: Path) -> None:
    outputs = []
    for hash_seed, locale in (("1", "C"), ("4242", "C.UTF-8")):
        root = tmp_path / hash_seed
        (root / "seeds").mkdir(parents=True)
        for seed in sorted((ROOT / "seeds").glob("*.txt"), reverse=True):
            (root / "seeds" / seed.name).write_bytes(seed.read_bytes())
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "LC_ALL": locale}
        subprocess.run(
            [sys.executable, "-m", "macros", "ingest", "--root", str(root)],
            check=True,
            env=environment,
            capture_output=True,
            cwd=ROOT,
        )
        outputs.append(_snapshot(root))
    assert outputs[0] == outputs[1]


def test_new_cards_validate_and_carry_the_header(real_ingest: tuple[Project, Report]) -> None:
    paths, _ = real_ingest
    for path in paths.cards.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Evidence card")
        assert isinstance(load_round_trip(path), CommentedMap)
        load_card(path)


def test_an_editors_card_edit_reaches_the_bibliography_without_a_seed_change(
    workspace: Path,
) -> None:
    paths, _ = _run(workspace)
    card_path = _card_path(paths, EROL_SEED)
    card = load_round_trip(card_path)
    card["journal"] = "J Clin Rheumatol"
    card_path.write_text(dump_round_trip(card), encoding="utf-8")
    _run(workspace)
    assert "journal = {J Clin Rheumatol}" in paths.bib.read_text(encoding="utf-8")


def test_a_broken_card_is_reported_on_every_run(workspace: Path) -> None:
    paths, _ = _run(workspace)
    card_path = _card_path(paths, EROL_SEED)
    card_path.write_text(card_path.read_text("utf-8").replace("year: 2025", "year: soon"))
    for _ in range(2):
        _, report = _run(workspace)
        assert any("year" in error.message for error in report.errors), report.errors


def test_reading_on_several_cores_gives_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids and citekeys are made unique in seed order, whichever process read the seed."""
    import macros.commands.ingest

    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")
    )
    trees = {}
    for name, parallel_from in (("one", 10**9), ("several", 1)):
        root = tmp_path / name
        (root / "seeds").mkdir(parents=True)
        for index, source in enumerate(sources * 2):  # each study twice: suffixed ids
            raw = source.read_bytes() + (b"\n" * (index // len(sources)))
            (root / "seeds" / f"{index:03d}-{source.name}").write_bytes(raw)
        monkeypatch.setattr(macros.commands.ingest, "PARALLEL_FROM", parallel_from)
        _, report = _run(root)
        assert report.written == 2 * len(sources)
        trees[name] = {
            path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
    assert trees["one"] == trees["several"]
    assert any(path.endswith("-b.yml") for path in trees["one"])


def test_new_cards_reach_the_bibliography_and_cache_as_loading_their_files_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cards ingest makes are not parsed again for the bibliography (`CardCache.made`):
    each equals the card of its file, and the bibliography and the cache are what loading every
    file gives."""
    monkeypatch.setenv("EVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    for folder in (
        ROOT / "seeds",
        ROOT / "tests" / "fixtures" / "seeds",
        ROOT / "tests" / "hostile" / "seeds",
    ):
        for source in folder.glob("*.txt"):
            shutil.copy(source, root / "seeds" / source.name)
    made: list[tuple[str, Card]] = []
    original = CardCache.made

    def spied(cache: CardCache, text: str, card: Card) -> Card:
        made.append((text, card))
        return original(cache, text, card)

    monkeypatch.setattr(CardCache, "made", spied)
    paths, report = _run(root)
    assert len(made) == report.written == len(list(paths.cards.glob("*.yml")))
    for text, card in made:
        path = paths.cards / f"{card.id}.yml"
        assert path.read_text(encoding="utf-8") == text
        assert load_card(path) == card
        assert load_card(path).model_dump_json() == card.model_dump_json()
    assert paths.bib.read_text(encoding="utf-8") == bibliography(load_cards(paths.cards))
    assert paths.cache is not None
    from_files = CardCache(None)
    load_cards(paths.cards, from_files)
    assert json.loads(paths.cache.read_text(encoding="utf-8"))["cards"] == from_files._used


def test_regression_ingest_check_fails_on_a_seed_whose_card_is_not_committed(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10, attack 6: CI built and published a card made from a PR's new seed, though no
    one had reviewed (or even seen) it. `evidence ingest --check` writes nothing and fails."""
    _run(workspace)
    assert main(["ingest", "--check", "--root", str(workspace)]) == 0
    shutil.copy(
        ROOT / "tests" / "fixtures" / "seeds" / "medical-news-crmo.txt", workspace / "seeds"
    )
    before = _snapshot(workspace)

    assert main(["ingest", "--check", "--root", str(workspace)]) == 1

    assert _snapshot(workspace) == before  # nothing written
    errors = capsys.readouterr().err
    assert "docs/cards/" in errors
    assert "E-NOT-INGESTED not what `evidence ingest` makes of the seeds" in errors
    assert "run `evidence ingest` and commit docs/cards/" in errors
    _run(workspace)
    assert main(["ingest", "--check", "--root", str(workspace)]) == 0


def test_ingest_check_fails_on_a_card_older_than_its_seed(workspace: Path) -> None:
    _run(workspace)
    seed = workspace / "seeds" / EROL_SEED
    seed.write_bytes(seed.read_bytes().replace(b"Among the 16", b"Among the 15"))
    before = _snapshot(workspace)
    assert main(["ingest", "--check", "--root", str(workspace)]) == 1
    assert _snapshot(workspace) == before


def test_regression_a_card_whose_seed_is_gone_is_reported(workspace: Path) -> None:
    """Issue 10: deleting a seed left its card published without a word from ingest."""
    paths, _ = _run(workspace)
    card = _card_path(paths, EROL_SEED)
    (workspace / "seeds" / EROL_SEED).unlink()

    _, report = _run(workspace)

    [warning] = [str(w) for w in report.warnings if w.code == "W-CARD-ORPHANED"]
    assert warning.startswith(
        f"docs/cards/{card.name}: W-CARD-ORPHANED its seed seeds/{EROL_SEED} is gone"
    )
    assert f"git rm docs/cards/{card.name} .evidence/machine/{card.stem}.json" in warning


def test_regression_a_latin1_seed_is_read_right_and_warned_of(workspace: Path) -> None:
    """Issue 10: a Latin-1 seed became a card of plausible garbage with '0 warnings'."""
    seed = ROOT / "tests" / "fixtures" / "seeds" / "translated-web-rmo-fr.txt"
    french = seed.read_text("utf-8").replace("\u2212", "-")  # the one sign cp1252 lacks
    (workspace / "seeds" / "latin1.txt").write_bytes(french.encode("cp1252"))

    paths, report = _run(workspace)

    [warning] = [w for w in report.warnings if w.file == "seeds/latin1.txt"]
    assert warning.code == "W-SEED-ENCODING"
    assert "not UTF-8" in warning.message
    card = load_card(_card_path(paths, "latin1.txt"))
    assert card.review.status == "needs-review"
    assert any("not UTF-8" in note for note in card.review.notes)
    assert card.title
    assert card.title in french  # the accents are right, not mojibake
    assert all(finding.quote in french for finding in card.findings)


def test_regression_citekeys_and_ids_are_unique_regardless_of_case(workspace: Path) -> None:
    """Issue 10, attack 10: `EROL2025` beside `Erol2025` passed, and only bibtex failed."""
    paths, _ = _run(workspace)
    state_file = paths.state / f"{_card_path(paths, EROL_SEED).stem}.json"
    state = json.loads(state_file.read_text("utf-8"))
    state["card"]["citekey"] = "EROL2025"
    state_file.write_text(json.dumps(state), "utf-8")
    twin = (workspace / "seeds" / EROL_SEED).read_bytes().replace(b"Among the 16", b"Among the 15")
    (workspace / "seeds" / "0000_twin.txt").write_bytes(twin)

    _run(workspace)

    assert load_card(_card_path(paths, "0000_twin.txt")).citekey == "Erol2025b"


def test_a_bug_in_the_code_raises_instead_of_skipping_the_seed(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a seed's own problem (SeedError) is reported and skipped; a bug must be loud."""
    import macros.commands.ingest

    def broken(seed: object) -> object:
        raise KeyError("a bug")

    monkeypatch.setattr(macros.commands.ingest, "extract", broken)
    with pytest.raises(KeyError, match="a bug"):
        _run(workspace)


def test_a_seed_past_the_card_limits_is_its_own_problem(workspace: Path) -> None:
    record = {"title": "Sacroiliitis " * 200, "abstract": "Case report.", "resultStr": ""}
    (workspace / "seeds" / "long.txt").write_text(json.dumps(record), "utf-8")
    _, report = _run(workspace)
    [error] = [e for e in report.errors if e.file == "seeds/long.txt"]
    assert error.code == "E-SEED-OVER-LIMITS"
    assert "title" in error.message
    assert report.read == 6
