"""``python -m proofs``: run every claim module, print verdicts, write ``docs/proofs.md``."""

import sys

from ._runner import main

sys.exit(main())
