"""The site: data for pages, rendering, citations and the MkDocs hooks.

- `data`: the mkdocs-macros adapter and the state of one build (`SiteBuild`);
- `render`, `pages`, `citations`, `html_fixes`: pages as Markdown and HTML, what an editor's page
  may hold, numbered citations, fixes to Material's markup;
- `study`: a study page as HTML (thousands of pages of one shape skip Markdown);
- `summary` with `pooling` and `forest`: the summary of findings per outcome, random-effects
  pooling, forest plots as SVG;
- `slots`: the tables of cards and the plots, written into their page after Markdown;
- `background`: the topic summaries and reference entries, computed in a second process while
  MkDocs converts the study pages;
- `tables`: a Markdown extension labelling each table cell with its column (phones);
- `search` with `cbor`: the Pagefind index; `theme`: Material's navigation and tabs, rendered
  once for all study pages;
- `hooks`: the MkDocs hooks (`mkdocs.yml` loads this file by path, and puts this folder on
  `sys.path` while it does: no module here is named after a standard-library module);
- `preview`: study pages as MkDocs objects, and what `mkdocs serve --dirty` rebuilds.

May import: every layer below it (`core`, `cards`, `extract`, `shapes`, `rules`), never `commands`.
"""
