"""``python -m sockcore.gen_constants``: the same as ``sockcore gen-constants``."""

import sys

from . import main

sys.exit(main())
