import sys

from carvoice.cli import main

sys.exit(main())
