"""Base layer: what every other layer may import, and which imports nothing of `macros`.

- `problems`: the one problem type (`Problem`) with its codes, for check, ingest, the build
  and a card's review notes;
- `text`: text hygiene (decoding a seed, squashing whitespace, CJK ranges, sentences);
- `identifiers`: DOI, PMID, citekey and card-id syntax.

May import: the standard library and third-party packages only.
"""
