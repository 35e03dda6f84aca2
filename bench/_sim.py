"""Start `aomlog simulate` in its own process (so it does not share the client's GIL)."""

import re
import subprocess
import sys


def start_simulator(*args):
    proc = subprocess.Popen([sys.executable, "-m", "aomlog", "simulate", "--port", "0", *map(str, args)],
                            stdout=subprocess.PIPE, text=True)
    url = None
    while url is None:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("the simulator did not start")
        match = re.search(r"http://127\.0\.0\.1:\d+", line)
        url = match.group(0) if match else None
    return proc, url
