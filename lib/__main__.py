"""``python -m lib COMMAND …`` (see ``python -m lib --help``): the commands are in :mod:`lib.cli`."""

import sys

from lib.cli import main

if __name__ == "__main__":
    sys.exit(main())
