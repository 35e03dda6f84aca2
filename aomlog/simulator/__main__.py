"""`python -m aomlog.simulator [PORT]`: serve the default jobs, for poking with curl."""

import sys

from . import Simulator, default_jobs


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8000
    sim = Simulator(default_jobs(), verbose=True)
    try:
        sim.serve_forever(port=port, on_ready=lambda url: print("serving on %s" % url, flush=True))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
