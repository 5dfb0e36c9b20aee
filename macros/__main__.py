"""`python -m macros`: the same command line as the `evidence` script."""

import sys

from .cli import main

sys.exit(main())
