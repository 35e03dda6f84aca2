"""The oldest and the newest Python under a pyenv root that pyproject.toml admits, one path a line.

    python3 .ci/pythons.py "$(pyenv root)"
    python3 .ci/pythons.py "$(pyenv root)" --second   # the next minor version after the oldest

With ``--second`` it prints the newest release of the second-oldest minor version admitted, when
that is neither the oldest nor the newest's (3.10 beside 3.9 and 3.13): CI runs the lowest
dependencies there, so that each Python the users' images ship runs the suite.

Versions below ``requires-python`` (pyenv images carry 2.7 and 3.6 too) and pre-releases
are left out; nothing is printed when none is found. Standard library only: it runs
before any venv exists, on any Python 3.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def floor() -> tuple:
    """(3, 9) from ``requires-python = ">=3.9"``."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)"', text, re.M)
    if not found:
        raise SystemExit("CI: no requires-python \">=X.Y\" in pyproject.toml")
    return int(found.group(1)), int(found.group(2))


def admitted(pyenv_root: pathlib.Path) -> list:
    """The interpreters under ``pyenv_root``/versions that pyproject admits, oldest first."""
    found = []
    for version in (pyenv_root / "versions").glob("*"):
        number = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version.name)  # "3.13.0"; not "3.14.0a1" nor a venv
        python = version / "bin" / "python"
        if number and python.exists() and tuple(map(int, number.groups()))[:2] >= floor():
            found.append((tuple(map(int, number.groups())), python))
    return [python for _, python in sorted(found)]


def second(pythons: list) -> list:
    """The newest release of the second-oldest minor version, if it is not the newest's."""
    minors = sorted({python.parent.parent.name.rsplit(".", 1)[0] for python in pythons},
                    key=lambda minor: tuple(map(int, minor.split("."))))
    if len(minors) < 3:
        return []
    return [python for python in pythons if python.parent.parent.name.rsplit(".", 1)[0] == minors[1]][-1:]


def main() -> None:
    pythons = admitted(pathlib.Path(sys.argv[1])) if len(sys.argv) > 1 and sys.argv[1] else []
    chosen = second(pythons) if sys.argv[2:] == ["--second"] else pythons[:1] + pythons[-1:]
    for python in dict.fromkeys(chosen):
        print(python)


if __name__ == "__main__":
    main()
