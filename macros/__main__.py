"""`python -m macros`: the same command line as the `evidence` script."""

import sys

from .commands.cli import main

sys.exit(main())
