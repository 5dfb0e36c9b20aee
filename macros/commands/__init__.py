"""Commands: the `evidence` command line and what it runs.

- `cli`: the command line (`evidence`, `python -m macros`);
- `ingest`, `check`, `accuracy`: seeds to cards, checking cards and pages, the accuracy report.

May import: every other layer. Nothing imports it but `macros.__main__`.
"""
