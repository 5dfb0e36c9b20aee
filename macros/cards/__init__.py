"""The card: its typed model, YAML in and out, and the files it lives in.

- `model`: the typed card (the JSON Schema is generated from it);
- `yamlio`, `emitter`, `yamllint`, `merge`: YAML reading and writing, the direct emitter, the
  lint of a card file, the merge of an edited card with a new extraction;
- `cardfiles`, `project`, `taxonomy`: card files and their cache, where a project's files live,
  the topic vocabulary;
- `bib`, `references`, `escaping`: the output formats (BibTeX, CSL-JSON, RIS, Vancouver HTML).

May import: `macros.core`.
"""
