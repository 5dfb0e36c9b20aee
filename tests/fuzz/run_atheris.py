"""Coverage-guided fuzzing of the seed parsers, the card loader and the page check with atheris
(libFuzzer).

    .venv/bin/python tests/fuzz/run_atheris.py seed -max_total_time=600 -max_len=20000
    .venv/bin/python tests/fuzz/run_atheris.py card -max_total_time=600 -max_len=20000
    .venv/bin/python tests/fuzz/run_atheris.py page -max_total_time=600

Any further arguments go to libFuzzer (`-help=1` lists them). The working corpus is
`tests/fuzz/corpus/<target>/` (ignored by git), started from the seeds (`seeds/*.txt`,
`tests/fixtures/seeds/*.txt`), the cards (`docs/cards/*.yml`) or the pages (`docs/**/*.md`);
`<target>.dict` beside this file is the libFuzzer dictionary (field names, shape markers, YAML,
Jinja and HTML syntax). A crash, hang (`-timeout`, 5 s unless given) or memory blow-up is
written to `tests/fuzz/regressions/<target>/`: minimise it (`-minimize_crash=1 -runs=10000
<file>`), give it a descriptive name and keep it, and `tests/test_fuzz_regressions.py` replays it
on every `make test`. Needs `pip install atheris` (x86_64/aarch64 Linux and macOS wheels); the
replay tests do not.
"""

from __future__ import annotations

import importlib
import os
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STARTS: dict[str, list[tuple[Path, str]]] = {
    "seed": [(ROOT / "seeds", "*.txt"), (ROOT / "tests" / "fixtures" / "seeds", "*.txt")],
    "card": [(ROOT / "docs" / "cards", "*.yml")],
    "page": [(ROOT / "docs", "**/*.md")],
}
# Coverage comes from the project's code; the card loader's own code is thin, so for cards the
# pure-Python YAML machinery (ruamel's round-trip loader, PyYAML's constructor) and the BibTeX
# parser it feeds are instrumented too, and new paths through them count as progress; for pages,
# Jinja's lexer and parser and Python-Markdown, which read the page before the check does.
INSTRUMENT = {
    "seed": ["macros"],
    "card": ["macros", "ruamel", "yaml", "bibtexparser"],
    "page": ["macros", "jinja2", "markdown"],
}
DEFAULTS = {"-timeout": "5", "-max_len": "20000", "-rss_limit_mb": "2048"}
USAGE = "usage: run_atheris.py seed|card|page [libFuzzer options] [corpus or crash files]"


def _corpus(target: str) -> Path:
    """The working corpus, with the starting files copied in when they are not there yet."""
    corpus = HERE / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for folder, pattern in STARTS[target]:
        for source in sorted(folder.glob(pattern)):
            copy = corpus / f"start-{source.parent.name}-{source.name}"
            if not copy.exists():
                shutil.copyfile(source, copy)
    return corpus


def main(argv: list[str]) -> None:
    # The target is the first word, or FUZZ_TARGET in the environment (when libFuzzer starts
    # this script again, with its own arguments only).
    target = os.environ.get("FUZZ_TARGET", "")
    if len(argv) > 1 and argv[1] in STARTS:
        target = argv.pop(1)
        os.environ["FUZZ_TARGET"] = target
    if target not in STARTS:
        sys.exit(USAGE)
    sys.path.insert(0, str(ROOT))
    atheris: Any = importlib.import_module("atheris")  # untyped: no stubs, no py.typed
    with atheris.instrument_imports(include=INSTRUMENT[target]):
        targets = importlib.import_module("tests.fuzz.targets")
    fuzz_one = targets.TARGETS[target]

    options = [a for a in argv[1:] if a.startswith("-")]
    inputs = [a for a in argv[1:] if not a.startswith("-")]
    given = {a.split("=", 1)[0] for a in options}
    options += [f"{k}={v}" for k, v in DEFAULTS.items() if k not in given]
    if "-artifact_prefix" not in given:
        artifacts = HERE / "regressions" / target
        artifacts.mkdir(parents=True, exist_ok=True)
        options.append(f"-artifact_prefix={artifacts}/")
    dictionary = HERE / f"{target}.dict"
    if "-dict" not in given and dictionary.is_file():
        options.append(f"-dict={dictionary}")
    if not inputs:
        inputs = [str(_corpus(target))]
    # libFuzzer runs its first argument again through the shell for -minimize_crash, -fork and
    # -merge: make that this Python and this script (the target is in FUZZ_TARGET by then).
    again = f"{shlex.quote(sys.executable)} {shlex.quote(str(Path(argv[0]).resolve()))}"
    atheris.Setup([again, *options, *inputs], fuzz_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
