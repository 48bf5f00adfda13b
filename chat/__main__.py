"""`python -m chat`: the same as the `neuvo` command."""

import sys

from chat.ops.cli import main

sys.exit(main())
