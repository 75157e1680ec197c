"""Entry point of ``python -m kdd_utils``."""

import sys

from .cli import main

sys.exit(main())
