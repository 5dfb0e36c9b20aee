"""Rules: every check on a card's content, used by `evidence check` and the build.

- `content`: the rules on one card and across cards (`card_problems`, `enforce`).

May import: `macros.core`, `macros.cards`, `macros.extract`, `macros.shapes`.
"""
