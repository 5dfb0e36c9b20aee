"""Where a project's files live: one `Project`, resolved once, used by every command and the build.

A project is a repository root. Its seeds, cards, bibliography, machine state, taxonomy and card
cache are where this module says, and nowhere else decides it:

- the commands (`evidence ingest|check|accuracy`) resolve it from `--root` (ingest's `--seeds`,
  `--cards`, `--bib`, `--state` and `--taxonomy` move single parts);
- the build resolves it from the MkDocs config: the project is `docs_dir`'s parent.

Cards live in `<docs_dir>/cards` (they are published as downloads), `docs_dir` being what
`mkdocs.yml` says (`docs` by default). A root without a `taxonomy/` folder (a folder of seeds
ingested on its own) uses the taxonomy of the repository this package is checked out in. The
card cache is never inside the project (`cardfiles.cache_file`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

from .cardfiles import cache_file

# The repository this package is checked out in (the package is `<repository>/macros`), and its
# taxonomy: the one of a root that has none, and `taxonomy.default_taxonomy()`.
REPOSITORY = Path(__file__).resolve().parent.parent.parent
REPOSITORY_TAXONOMY = REPOSITORY / "taxonomy"
DEFAULT_DOCS = "docs"


@dataclass(frozen=True)
class Project:
    root: Path
    docs: Path
    seeds: Path
    cards: Path
    bib: Path
    state: Path  # ingest's merge bases, `<id>.json` (committed)
    taxonomy: Path  # the folder of topics.yml, terms.yml, journals.yml and editors.yml

    @classmethod
    def at(
        cls,
        root: Path,
        *,
        docs: Path | None = None,
        seeds: Path | None = None,
        cards: Path | None = None,
        bib: Path | None = None,
        state: Path | None = None,
        taxonomy: Path | None = None,
    ) -> Project:
        """The project at `root`, with any part moved elsewhere."""
        docs = docs or root / _docs_dir(root)
        own_taxonomy = root / "taxonomy"
        return cls(
            root=root,
            docs=docs,
            seeds=seeds or root / "seeds",
            cards=cards or docs / "cards",
            bib=bib or root / "bib" / "references.bib",
            state=state or root / ".evidence" / "machine",
            taxonomy=taxonomy or (own_taxonomy if own_taxonomy.is_dir() else REPOSITORY_TAXONOMY),
        )

    @classmethod
    def of_mkdocs(cls, config: Any) -> Project:
        """The project a MkDocs build reads: `docs_dir`'s parent, with that `docs_dir`."""
        docs = Path(config["docs_dir"])
        return cls.at(docs.parent, docs=docs)

    @property
    def cache(self) -> Path | None:
        """The card cache file, outside the work tree (None: no cache)."""
        return cache_file(self.root)

    @property
    def editors(self) -> Path:
        return self.taxonomy / "editors.yml"

    @property
    def topics(self) -> Path:
        """The folder of topic pages, `<slug>.md`."""
        return self.docs / "topics"

    @property
    def reports(self) -> Path:
        """The folder of data a page may show (`accuracy_table`)."""
        return self.docs / "data"

    @property
    def schema(self) -> Path:
        """The card contract as JSON Schema (`evidence schema` writes it from the model)."""
        return self.root / "schema" / "card.schema.json"

    def relative(self, path: Path | str) -> str:
        """`seeds/x.txt`: how messages and cards name a file (resolved only when it must be:
        resolving every seed's path was a third of a no-change run)."""
        path = Path(path)
        if path.is_relative_to(self.root) and ".." not in path.parts:
            return path.relative_to(self.root).as_posix()
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError):
            return path.as_posix()


def _docs_dir(root: Path) -> str:
    """`docs_dir` of the project's mkdocs.yml, read as MkDocs reads it; `docs` without one."""
    file = root / "mkdocs.yml"
    if not file.is_file():
        return DEFAULT_DOCS
    config = yaml_load(file.read_text("utf-8"))
    value = config.get("docs_dir") if isinstance(config, dict) else None
    return value if isinstance(value, str) and value else DEFAULT_DOCS
