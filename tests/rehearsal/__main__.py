"""`python -m tests.rehearsal PORT`: the rehearsal's AWS emulator on 127.0.0.1:PORT."""

import sys

from tests.rehearsal.emulator import main

main(int(sys.argv[1]))
