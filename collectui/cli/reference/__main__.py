"""``python -m collectui.cli.reference [--check]``."""

import sys

from collectui.cli.reference import main

sys.exit(main())
