"""Writing one profile into aomlog's TOML config, leaving the rest of the file as it was.

The file is edited as text, line by line, so that other profiles, comments and
anything else a user keeps there survive byte for byte; the result is parsed
again and must equal the old file with only this profile's keys changed, or
nothing is written. The new file replaces the old one atomically, mode 0600.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Dict, List, Optional

from aomlog.settings.config import parse_toml, profiles_of, read_config_text
from aomlog.errors import ConfigError
from aomlog.fsutil import write_atomic

PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_TABLE_HEADER = re.compile(r"^\s*\[")


def set_profile(path: Path, name: str, changes: Dict[str, Optional[str]]) -> None:
    """Set keys of ``[profiles.NAME]`` (``None`` removes a key) in the file at ``path``."""
    if not PROFILE_NAME.match(name):
        raise ValueError(f"bad profile name {name!r}")
    path = Path(os.path.realpath(path))  # a symlinked config (dotfiles) stays a symlink
    text = read_config_text(path)
    old = parse_toml(text, path)  # refuses a broken file before anything is written
    new_text = _edit(text, name, changes)

    expected = dict(old)
    profiles = dict(profiles_of(old, path))
    profile = {k: v for k, v in profiles.get(name, {}).items() if changes.get(k, v) is not None}
    profile.update({k: v for k, v in changes.items() if v is not None})
    profiles[name] = profile
    expected["profiles"] = profiles
    try:
        same = parse_toml(new_text, path) == expected
    except ConfigError:
        same = False
    if not same:
        raise ConfigError(f"cannot update profile '{name}' in {path} without disturbing the rest of it",
                          f"Edit the file by hand: a [profiles.{name}] table with keys such as ak, sk, region.")
    write_private(path, new_text)


def _edit(text: str, name: str, changes: Dict[str, Optional[str]]) -> str:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    header = re.compile(r"""^\s*\[\s*profiles\s*\.\s*(%s|"%s"|'%s')\s*\]\s*(#.*)?$""" % ((re.escape(name),) * 3))
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        block = [f"[profiles.{name}]\n"] + [f"{k} = {toml_string(v)}\n" for k, v in changes.items() if v is not None]
        return "".join(lines + (["\n"] if lines else []) + block)
    end = next((i for i in range(start + 1, len(lines)) if _TABLE_HEADER.match(lines[i])), len(lines))
    section: List[Optional[str]] = list(lines[start + 1:end])
    pending = dict(changes)
    for i, line in enumerate(lines[start + 1:end]):
        m = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
        if m and m.group(1) in pending:
            value = pending.pop(m.group(1))
            section[i] = None if value is None else f"{m.group(1)} = {toml_string(value)}\n"
    kept = [line for line in section if line is not None]
    last = max((i for i, line in enumerate(kept) if line.strip()), default=-1)  # keep blank lines below
    added = [f"{k} = {toml_string(v)}\n" for k, v in pending.items() if v is not None]
    kept[last + 1:last + 1] = added
    return "".join(lines[:start + 1] + kept + lines[end:])


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u%04X" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text``, mode 0600, creating its directory with mode 0700."""
    try:
        write_atomic(path, text, make_dir=True)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}",
                          "Check the directory, the disk and the file's permissions.") from None
