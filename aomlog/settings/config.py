"""Connection settings and credentials, from one chain of sources, highest first:

1. command-line flags (never secrets: they would land in shell history and ``ps``);
2. the environment (the Huawei Cloud SDK's ``HUAWEICLOUD_SDK_*`` and ``AOMLOG_*``);
3. a profile in aomlog's own TOML config (``$AOMLOG_CONFIG``, else
   ``$XDG_CONFIG_HOME/aomlog/config.toml``), chosen by a flag or ``$AOMLOG_PROFILE``;
4. the SDK's ``~/.huaweicloud/credentials`` (``[basic]``), read only when needed.

Each value remembers where it came from, so errors and the debug output can say which
credential was used without ever showing it.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from aomlog.settings import regions
from aomlog.errors import ConfigError

# setting name -> environment variable
ENV_VARS = {
    "endpoint": "AOMLOG_ENDPOINT",
    "region": "AOMLOG_REGION",
    "project_id": "HUAWEICLOUD_SDK_PROJECT_ID",
    "token": "AOMLOG_TOKEN",
    "ak": "HUAWEICLOUD_SDK_AK",
    "sk": "HUAWEICLOUD_SDK_SK",
    "security_token": "HUAWEICLOUD_SDK_SECURITY_TOKEN",
}
PROFILE_VAR = "AOMLOG_PROFILE"
CONFIG_VAR = "AOMLOG_CONFIG"
CREDENTIALS_FILE_VAR = "HUAWEICLOUD_SDK_CREDENTIALS_FILE"  # the SDK's own override
DEFAULT_PROFILE = "default"
SECRETS = {"token", "sk", "security_token"}
CREDENTIALS = ("ak", "sk", "security_token", "token")
PROFILE_KEYS = ("region", "endpoint", "project_id", "ak", "sk", "security_token", "token")
INI_KEYS = ("ak", "sk", "project_id", "security_token")
SETTING_NAMES = ("profile",) + PROFILE_KEYS


@dataclass
class Settings:
    values: Dict[str, str] = field(default_factory=dict)
    sources: Dict[str, str] = field(default_factory=dict)
    warnings: List[str] = field(default_factory=list)
    env: Mapping[str, str] = field(default_factory=dict)  # for the SDK's per-region endpoint variables
    # Resolved to be listed ('configure list'): a problem is kept under the setting it is about,
    # instead of raised, so that everything else still shows.
    tolerant: bool = False
    problems: Dict[str, List[str]] = field(default_factory=dict)

    def problem(self, name: str, err: ConfigError) -> None:
        """Keep ``err`` under setting ``name`` when tolerant; else raise it."""
        if not self.tolerant:
            raise err
        self.problems.setdefault(name, []).append(err.message)

    def get(self, name: str) -> Optional[str]:
        return self.values.get(name)

    def set(self, name: str, value: Optional[str], source: str) -> None:
        # Surrounding white space is never meant: `$(cat token.txt)` of a CRLF file keeps a \r.
        value = value.strip() if isinstance(value, str) else value
        if value is not None and value != "" and name not in self.values:
            if name in HEADER_VALUES and not _sendable(value):
                # The value goes into an HTTP header; name where it came from, never the value.
                self.problem(name, ConfigError(f"the {name} from {source} contains characters that cannot be sent "
                                               f"(control characters or non-Latin-1 text)",
                                               f"Check {source} for a stray quote, newline or pasted character."))
                return
            self.values[name] = value
            self.sources[name] = source

    @property
    def endpoint(self) -> str:
        return self.endpoint_and_source()[0]

    def endpoint_and_source(self) -> Tuple[str, str]:
        endpoint = self.get("endpoint")
        if endpoint:
            return _checked_endpoint(endpoint, self.sources["endpoint"]), self.sources["endpoint"]
        region = self.region
        if region:
            url, source = regions.modelarts_endpoint(region, self.env)
            return _checked_endpoint(url, source), source
        raise ConfigError(
            "no region or endpoint is configured",
            "Set a region (e.g. cn-north-4) with AOMLOG_REGION, or run 'aomlog configure'.",
            about="region.missing",
        )

    @property
    def region(self) -> Optional[str]:
        region = self.get("region")
        if region and not REGION.match(region):
            raise ConfigError(f"the region {region!r} from {self.sources['region']} is not a region name",
                              "Regions look like cn-north-4 or ap-southeast-1; a URL is an endpoint.",
                              about="region.malformed")
        return region

    @property
    def project_id(self) -> str:
        project_id = self.get("project_id")
        if not project_id:
            raise ConfigError(
                "no project id is configured",
                "Set HUAWEICLOUD_SDK_PROJECT_ID, or run 'aomlog configure' "
                "(IAM console: My Credentials > Projects); with an access key pair and a region, "
                "aomlog looks it up itself.",
                about="project_id.missing",
            )
        return project_id

    def can_look_up_project(self) -> bool:
        """An AK/SK and a region, and no project id: the SDK would ask IAM for it, and so do we."""
        return not self.get("project_id") and bool(self.get("ak")) and bool(self.get("region"))

    def credential_source(self) -> Optional[str]:
        """Which credential is used and from where, with nothing secret in it."""
        if "token" in self.values:
            return f"the IAM token from {self.sources['token']}"
        if "ak" in self.values and "sk" in self.values:
            temporary = " with its security token" if "security_token" in self.values else ""
            where = self.sources["ak"]
            if self.sources["sk"] != where:
                where = f"{where} and {self.sources['sk']}"
            return f"access key {self.values['ak']}{temporary} from {where}"
        return None


    def credential_hint(self) -> Optional[str]:
        """What to do when the gateway rejects the credential."""
        if "token" in self.values:
            return f"IAM tokens expire after 24 hours: get a new one and put it in {self.sources['token']}."
        if "security_token" in self.values:
            return ("Temporary credentials expire: get a new AK, SK and security token, all three together, "
                    "and never retry the old ones.")
        if "ak" in self.values:
            return ("Check the key pair in the IAM console (My Credentials > Access Keys) and this computer's clock; "
                    "aomlog does not retry, as 5 failures in a row lock the key for 5 minutes.")
        return None

    def describe(self) -> List[Tuple[str, str, str]]:
        """(setting, value fit to print, source) for every setting; secrets masked."""
        rows = []
        for name in SETTING_NAMES:
            value = self.get(name)
            if value is not None:
                rows.append((name, mask(value) if name in SECRETS else value, self.sources[name]))
            elif name == "endpoint" and self.get("region"):
                try:
                    rows.append((name, *self.endpoint_and_source()))
                except ConfigError as err:
                    self.problem(name, err)
                    rows.append((name, "-", "not usable"))
            elif name == "project_id" and self.can_look_up_project():
                rows.append((name, "-", "looked up from IAM with the access key at the first call"))
            else:
                rows.append((name, "-", "not set"))
        return rows


REGION = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _checked_endpoint(endpoint: str, source: str) -> str:
    """The endpoint without its trailing slash, once it is known to be an http(s) URL."""
    from urllib.parse import urlsplit

    hint = "Write the whole URL with its scheme, e.g. https://modelarts.cn-north-4.myhuaweicloud.com."
    try:
        parts = urlsplit(endpoint)
        parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or " " in endpoint:
        raise ConfigError(f"the endpoint {endpoint!r} from {source} is not an http(s) URL", hint)
    return endpoint.rstrip("/")


HEADER_VALUES = {"ak", "sk", "security_token", "token", "project_id"}


def _sendable(value: str) -> bool:
    return all(" " <= ch <= "~" or "\xa0" <= ch <= "\xff" for ch in value)


def mask(value: str) -> str:
    """At most the last 4 characters, and only of a value long enough to hide the rest."""
    return "****" + value[-4:] if len(value) >= 12 else "****"


def resolve(flags: Mapping[str, Optional[str]], env: Optional[Mapping[str, str]] = None, *,
            flag_names: Optional[Mapping[str, str]] = None, tolerant: bool = False) -> Settings:
    """Resolve every setting; the first source (highest first) to name a value wins.

    ``flags`` may hold endpoint, region, project_id and profile: no secret. ``flag_names``:
    how the command line spells each, to name it as the source of its value. ``tolerant``:
    keep each problem in ``Settings.problems`` and go on without what it spoiled (a broken
    file's values, half a key pair), to list the settings rather than use them.
    """
    env = os.environ if env is None else env
    settings = Settings(env=env, tolerant=tolerant)
    profile_name, profile_source = profile_choice(flags, env, flag_names)
    layers = [
        _Layer({k: v for k, v in flags.items() if k in PROFILE_KEYS and k not in SECRETS and v},
               {k: flag_name(flag_names, k) for k in PROFILE_KEYS}, "the command line"),
        _Layer({k: env[var] for k, var in ENV_VARS.items() if env.get(var)},
               {k: f"${var}" for k, var in ENV_VARS.items()}, "the environment",
               {k: f"${var}" for k, var in ENV_VARS.items()}),
        _profile_layer_of(settings, config_path(env), profile_name, profile_source),
    ]
    settings.set("profile", profile_name, profile_source)
    chain = _Chain(layers, credentials_path(env), settings)
    _resolve_credentials(settings, chain)
    ranks = {}
    for name in ("endpoint", "region", "project_id"):
        for rank, layer in enumerate(chain.providing(name)):
            if name in layer.values:
                settings.set(name, layer.values[name], layer.sources[name])
                ranks[name] = rank
                break
    # An endpoint wins over a region from the same source, but a region on the command
    # line must not be silently overridden by an endpoint set lower down.
    if "endpoint" in ranks and ranks.get("region", len(layers)) < ranks["endpoint"]:
        del settings.values["endpoint"], settings.sources["endpoint"]
    return settings


@dataclass
class _Layer:
    values: Dict[str, str]
    sources: Dict[str, str]  # setting name -> how to name its source to the user
    name: str  # the layer as a whole, for messages about pairs
    keys: Dict[str, str] = field(default_factory=lambda: {k: k for k in PROFILE_KEYS})  # as spelt there


def _profile_layer_of(settings: Settings, path: Path, name: str, chosen_by: str) -> _Layer:
    """The profile's layer; tolerant, an empty one when the file or the profile cannot be used."""
    try:
        return _profile_layer(path, name, chosen_by, settings.warnings)
    except ConfigError as err:
        settings.problem("profile", err)
        return _Layer({}, {}, f"profile '{name}' in {path}")


class _Chain:
    """The layers highest first; the SDK's credentials file is read only when the
    sources above leave one of its values open, so that a file of another tool
    cannot break (or warn about) a run that does not need it."""

    def __init__(self, layers: List[_Layer], ini: Path, settings: Settings):
        self.layers, self.ini, self.settings = layers, ini, settings
        self._ini_layer: Optional[_Layer] = None

    def providing(self, *names: str):
        yield from self.layers
        if set(names) & set(INI_KEYS) and self.ini.is_file():
            if self._ini_layer is None:
                try:
                    self._ini_layer = _ini_layer(self.ini, self.settings.warnings)
                except ConfigError as err:
                    self.settings.problem("ak", err)
                    self._ini_layer = _Layer({}, {}, f"{self.ini} [basic]")
            yield self._ini_layer


def _resolve_credentials(settings: Settings, chain: _Chain) -> None:
    """Take every credential from the one highest source that has any.

    An AK and an SK are a pair, and a security token belongs to the pair it was
    issued with: combining an AK from the environment with an SK from a file
    (say, after rotating one of them) signs with a pair that does not exist, and
    the gateway locks the key after five such failures. So the first source
    that names any credential supplies all of them, and a half pair there is an
    error rather than something to complete from a lower source.
    Within one source an IAM token wins over a key pair: only aomlog reads
    AOMLOG_TOKEN, while the SDK variables are often set for other tools.
    """
    for layer in chain.providing(*CREDENTIALS):
        found = {k: layer.values[k] for k in CREDENTIALS if layer.values.get(k)}
        if not found:
            continue
        if "token" in found:
            settings.set("token", found["token"], layer.sources["token"])
            return
        if "ak" not in found or "sk" not in found:
            have = [layer.keys[k] for k in ("ak", "sk", "security_token") if k in found]
            need = [layer.keys[k] for k in ("ak", "sk") if k not in found]
            half = ConfigError(
                f"{' and '.join(have)} {'is' if len(have) == 1 else 'are'} set but {' and '.join(need)} "
                f"{'is' if len(need) == 1 else 'are'} not, in {layer.name}",
                "An AK and its SK must come from the same place: set both there, or remove the half "
                "pair to use the next source (see 'aomlog configure list').",
            )
            settings.problem("sk" if "ak" in found else "ak", half)  # tolerant: listed where the half is
        for name in ("ak", "sk", "security_token"):
            settings.set(name, found.get(name), layer.sources[name])
        return


def flag_name(flag_names: Optional[Mapping[str, str]], key: str) -> str:
    """How the command line spells the flag of setting ``key``."""
    return (flag_names or {}).get(key) or f"the command line's {key}"


def profile_choice(flags: Mapping[str, Optional[str]], env: Mapping[str, str],
                   flag_names: Optional[Mapping[str, str]] = None) -> Tuple[str, str]:
    """The profile to read and its source: the flag, else $AOMLOG_PROFILE, else the default."""
    flagged = flags.get("profile")
    if flagged:
        return flagged, flag_name(flag_names, "profile")
    if env.get(PROFILE_VAR):
        return env[PROFILE_VAR], f"${PROFILE_VAR}"
    return DEFAULT_PROFILE, "default"


def home(env: Mapping[str, str]) -> Path:
    return Path(env.get("HOME") or os.path.expanduser("~"))


def config_path(env: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if env is None else env
    if env.get(CONFIG_VAR):
        return Path(env[CONFIG_VAR]).expanduser()
    return _xdg_base(env, "XDG_CONFIG_HOME", ".config") / "aomlog" / "config.toml"


def cache_dir(env: Optional[Mapping[str, str]] = None) -> Path:
    """Where aomlog keeps what it may lose at any time (shell completion's recent jobs and file names)."""
    env = os.environ if env is None else env
    return _xdg_base(env, "XDG_CACHE_HOME", ".cache") / "aomlog"


def _xdg_base(env, var: str, default: str) -> Path:
    xdg = env.get(var, "")
    return Path(xdg) if os.path.isabs(xdg) else home(env) / default  # XDG: ignore relative paths


def credentials_path(env: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if env is None else env
    if env.get(CREDENTIALS_FILE_VAR):
        return Path(env[CREDENTIALS_FILE_VAR]).expanduser()
    return home(env) / ".huaweicloud" / "credentials"


def load_toml(path: Path) -> dict:
    """The parsed config file ({} if there is none); ConfigError naming the line if invalid."""
    return parse_toml(read_config_text(path), path)


def read_config_text(path: Path) -> str:
    """The config file's text ("" if there is none); ConfigError if it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
                          f"Check the file, or point ${CONFIG_VAR} at another one.") from None


def parse_toml(text: str, path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python < 3.11
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}",
                          f"Fix the file, or point ${CONFIG_VAR} at another one.",
                          about="config.not_toml", facts={"variable": f"${CONFIG_VAR}"}) from None


def profiles_of(data: dict, path: Path) -> Dict[str, dict]:
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(p, dict) for p in profiles.values()):
        raise ConfigError(f"{path}: 'profiles' must hold tables such as [profiles.default]",
                          "Fix the file.", about="config.profiles")
    return profiles


def _profile_layer(path: Path, name: str, chosen_by: str, warnings: List[str]) -> _Layer:
    data = load_toml(path)
    profiles = profiles_of(data, path)
    where = f"profile '{name}' in {path}"
    if name not in profiles:
        if chosen_by != "default":
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"no profile '{name}' (from {chosen_by}) in {path}; known profiles: {known}",
                              "Create it with 'aomlog configure', or pick a known one.",
                              about="profile.unknown", facts={"name": name})
        return _Layer({}, {}, where)
    profile = profiles[name]
    values = {}
    for key, value in profile.items():
        if key not in PROFILE_KEYS:
            warnings.append(f"{path}: profile '{name}' has an unknown key '{key}' (known: {', '.join(PROFILE_KEYS)})")
        elif not isinstance(value, str):
            raise ConfigError(f"{path}: '{key}' in profile '{name}' must be a string",
                              f'Quote the value, e.g. {key} = "..."')
        elif value:
            values[key] = value
    if any(k in SECRETS for p in profiles.values() for k in p):
        _check_private(path, warnings)
    return _Layer(values, {k: where for k in PROFILE_KEYS}, where)


def _ini_layer(path: Path, warnings: List[str]) -> _Layer:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not a valid credentials file: {str(exc).splitlines()[0]}",
                          "Fix the file (an INI file with a [basic] section), or move it away.") from None
    where = f"{path} [basic]"
    if not parser.has_section("basic"):
        return _Layer({}, {}, where)
    values = {k: parser.get("basic", k).strip() for k in INI_KEYS if parser.get("basic", k, fallback="").strip()}
    _check_private(path, warnings)
    return _Layer(values, {k: where for k in INI_KEYS}, where)


def _check_private(path: Path, warnings: List[str]) -> None:
    """Warn, as ssh does, when others may read a file that holds secrets."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return
    if os.name == "posix" and mode & 0o077:
        warnings.append(f"permissions {mode:04o} for '{path}' are too open: other users can read "
                        f"the secrets in it; run: chmod 600 '{path}'")


def make_auth(settings: Settings, clock=None):
    """The requests auth object for the resolved credentials, or None."""
    token = settings.get("token")
    if token:
        from aomlog.transport.auth import TokenAuth

        return TokenAuth(token)
    if settings.get("ak"):
        from aomlog.transport.auth import AkSkAuth

        return AkSkAuth(settings.values["ak"], settings.values["sk"], clock=clock,
                        security_token=settings.get("security_token"), project_id=settings.get("project_id"))
    return None
