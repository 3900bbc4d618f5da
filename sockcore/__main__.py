"""``python -m sockcore``: the same as the ``sockcore`` command."""

import sys

from .cli import main

sys.exit(main())
