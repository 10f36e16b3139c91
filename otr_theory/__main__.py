"""``python -m otr_theory`` runs ``otr-analyze``."""

import sys

from otr_theory.cli import main

sys.exit(main())
