"""``aomlog configure`` (store a profile) and ``aomlog configure list`` (where each setting comes from)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Dict, Optional, Pattern

import click

from aomlog.cli.completion import profile_names
from aomlog.cli.errors import notice
from aomlog.cli.hints import FLAG_NAMES

if TYPE_CHECKING:
    from pathlib import Path


def _profile_name(ctx, param, value: Optional[str]) -> Optional[str]:
    from aomlog.settings.config_edit import PROFILE_NAME

    if value is not None and not PROFILE_NAME.match(value):
        raise click.BadParameter(f"{value!r}: use letters, digits, '-' and '_'", ctx, param)
    return value


_profile_option = click.option("--profile", metavar="NAME", callback=_profile_name, shell_complete=profile_names,
                               help="The profile.  [env: AOMLOG_PROFILE; default: default]")


@click.group(invoke_without_command=True)
@_profile_option
@click.pass_context
def configure(ctx, profile: Optional[str]) -> int:
    """Store an access key pair, region and project id in a profile.

    Asks for each value (Enter keeps the current one; the SK is not shown) and
    writes them to aomlog's config file, $AOMLOG_CONFIG or
    ~/.config/aomlog/config.toml (mode 0600), leaving other profiles and the rest
    of the file as they were. Its form:

    \b
      [profiles.default]
      ak = "AK..."
      sk = "..."
      region = "cn-north-4"
      project_id = "0123456789abcdef0123456789abcdef"

    \b
    Settings are taken from, highest first: command-line flags; the environment
    (HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, HUAWEICLOUD_SDK_SECURITY_TOKEN,
    HUAWEICLOUD_SDK_PROJECT_ID, AOMLOG_TOKEN, AOMLOG_REGION, AOMLOG_ENDPOINT);
    the profile chosen by --profile or AOMLOG_PROFILE; ~/.huaweicloud/credentials.

    \b
    Examples:
      aomlog configure                     the default profile
      aomlog configure --profile staging   another profile
      aomlog configure list                each setting in effect and its source
    """
    ctx.ensure_object(dict)["profile"] = profile
    if ctx.invoked_subcommand is not None:
        return 0
    from aomlog.settings import config

    name, _ = config.profile_choice({"profile": profile}, os.environ, FLAG_NAMES)
    from aomlog.settings.config_edit import PROFILE_NAME

    if not PROFILE_NAME.match(name):  # before any question, not after the answers
        from aomlog.errors import ConfigError

        raise ConfigError(f"the profile name {name!r} from ${config.PROFILE_VAR} is not usable",
                          "Profile names use letters, digits, '-' and '_'.")
    path = config.config_path()
    current = config.profiles_of(config.load_toml(path), path).get(name, {})  # a broken file stops here
    notice(f"Configuring profile '{name}' in {path}")
    _save(path, name, _answers(current, config.REGION))
    return 0


def _answers(current: Dict[str, str], region: Pattern[str]) -> Dict[str, Optional[str]]:
    """The profile's new values, asked for one by one: Enter keeps the current one."""
    changes = {
        "ak": _ask("Access key id (AK)", current.get("ak"), required=True),
        "sk": _ask("Secret access key (SK)", current.get("sk"), required=True, secret=True),
        "region": _ask("Region, e.g. cn-north-4", current.get("region"), pattern=region),
        "project_id": _ask("Project id", current.get("project_id")),
    }
    if (changes["ak"], changes["sk"]) != (current.get("ak"), current.get("sk")):
        # Both belong to the old pair, and a token would win over the new one.
        for stale in ("security_token", "token"):
            if current.get(stale):
                changes[stale] = None
                notice(f"Removed the profile's {stale}: it belongs to the old credentials.")
    return changes


def _save(path: "Path", name: str, changes: Dict[str, Optional[str]]) -> None:
    from aomlog.settings import config
    from aomlog.settings.config_edit import set_profile

    set_profile(path, name, changes)
    notice(f"Saved profile '{name}' to {path} (mode 0600).")
    shadowing = [f"${config.ENV_VARS[k]}" for k in config.CREDENTIALS if os.environ.get(config.ENV_VARS[k])]
    if shadowing:
        notice(f"Note: {', '.join(shadowing)} set in the environment take precedence over this profile.")


def _ask(label: str, current: Optional[str], *, required: bool = False, secret: bool = False,
         pattern=None) -> Optional[str]:
    """One value; Enter keeps ``current``. Never echoes or prints a secret."""
    from aomlog.settings.config import mask
    from aomlog.errors import ConfigError

    interactive = sys.stdin.isatty()

    if current:
        label += f" [{mask(current) if secret else current}]"
    while True:
        if interactive:
            value = click.prompt(label, default="", show_default=False, hide_input=secret, err=True)
        else:  # a script piping answers in: read lines, without writing to stdout
            notice(label + ": ")
            line = sys.stdin.readline()
            if not line:
                raise ConfigError(f"the input ended before '{label.split(' [')[0]}' was answered; nothing was saved",
                                  "Answer every question: AK, SK, region, project id (an empty line keeps a value).")
            value = line
        value = value.strip()
        problem = None
        if value and any(ch.isspace() for ch in value) and (required or pattern):
            problem = "No spaces, please."
        elif value and pattern is not None and not pattern.match(value):
            problem = f"{value!r} does not look like one (a URL goes in --endpoint)."
        elif not (value or current or not required):
            problem = "A value is needed."
        if problem is None:
            return value or current
        if not interactive:  # asking again would take the next answer for this one
            raise ConfigError(f"{problem.rstrip('.')} for '{label.split(' [')[0]}'; nothing was saved",
                              "Pipe in one line per question: AK, SK, region, project id.")
        notice(problem)


@configure.command("list")
@_profile_option
@click.pass_context
def list_settings(ctx, profile: Optional[str]) -> int:
    """Show each setting in effect and where it comes from (secrets masked).

    It always runs: a problem (half a key pair, a broken config file, an unknown
    profile) is named under the setting it spoils, and the rest is still shown.
    """
    from aomlog.cli.options import resolve_settings
    from aomlog.settings.connect import cached_project

    settings = resolve_settings({"profile": profile or ctx.obj.get("profile")}, tolerant=True)
    if settings.can_look_up_project() and not settings.problems:
        cached_project(settings)
    rows = [("setting", "value", "source")] + settings.describe()
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    out = sys.stdout
    for name, value, source in rows:
        out.write(f"{name:<{widths[0]}}  {value:<{widths[1]}}  {source}\n")
        for problem in settings.problems.get(name, []):
            out.write(f"{'':<{widths[0]}}  ! {problem}\n")
    if not settings.problems and all(source in ("default", "not set") for _, _, source in rows[1:]):
        out.write("\n" + _looked_in())
    credential = settings.credential_source()
    if credential is None:
        spoilt = [problem for name in ("ak", "sk") for problem in settings.problems.get(name, [])]
        credential = "none usable (see the ! above)" if spoilt else "none (requests go out unsigned)"
    out.write(f"\ncredential: {credential}\n")
    out.flush()
    return 0


def _looked_in() -> str:
    """Where settings were looked for, when none was found anywhere."""
    from aomlog.settings import config

    variables = [f"${var}" for var in config.ENV_VARS.values()]
    lines = ["Nothing is configured. Looked in:",
             "  the command line: --region, --endpoint, --project-id, --profile",
             f"  the environment: {', '.join(variables[:4])},", f"    {', '.join(variables[4:])}"]
    for path, variable in ((config.config_path(), config.CONFIG_VAR),
                           (config.credentials_path(), config.CREDENTIALS_FILE_VAR)):
        lines.append(f"  {path} ({'present' if path.is_file() else 'not there'}; ${variable} moves it)")
    return "\n".join(lines) + "\n"
