"""Extraction readers: what a seed says, read from its layout and sentences.

- `reading`, `sections`: the layout reader and the paper's parts;
- `figures`, `quantities`, `findings`, `labels`: figures in sentences and the rules on them, and
  findings built from them;
- `cases`, `study`, `languages`: per-case tables, study design and size, languages;
- `bibliographic`, `names`, `boilerplate`: citation lines, author lists, web-page boilerplate.

May import: `macros.core`, `macros.cards`.
"""
