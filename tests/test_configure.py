"""`aomlog configure` writes a profile safely; `aomlog configure list` tells where each setting comes from."""

import io
import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aomlog.settings.config import parse_toml
from aomlog.settings.config_edit import toml_string
from aomlog.simulator import Job

from conftest import expected_bytes

AK, SK = "AKCONFIGURE000000001", "sk-configure-secret-0000000000000000042"


@pytest.fixture
def answers(monkeypatch):
    """Feed the prompts, as a script piping answers in would."""
    def feed(*lines):
        monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    return feed


@pytest.fixture
def path(clean_env):
    return clean_env / ".config" / "aomlog" / "config.toml"


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


EXISTING = """\
# my aomlog settings
color = "auto"  # not aomlog's business: must survive

[profiles.work]
region = "cn-south-1"   # Guangzhou
ak = "AKWORK"
sk = "sk-work"

[profiles.default]
# the old key, rotated next month
ak = "AKOLD0000000000001"
sk = "sk-old-secret-000000001"
security_token = "old-temporary-token"
endpoint = "https://modelarts.example.internal"

[other.table]
x = 1
"""


def test_a_new_profile_is_private(aomlog, answers, path):
    answers(AK, SK, "cn-north-4", "0123456789abcdef0123456789abcdef")
    r = aomlog("configure")
    assert r.status == 0, r
    assert SK not in r.out.decode() + r.err
    assert r.out == b""  # prompts and notes go to stderr
    assert path.read_text() == (f'[profiles.default]\nak = "{AK}"\nsk = "{SK}"\nregion = "cn-north-4"\n'
                                'project_id = "0123456789abcdef0123456789abcdef"\n')
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temporary file left


def test_other_profiles_and_content_are_untouched(aomlog, answers, path):
    path.parent.mkdir(parents=True)
    path.write_text(EXISTING)
    answers(AK, SK, "cn-north-4", "")
    r = aomlog("configure")
    assert r.status == 0, r
    assert "Removed the profile's security_token: it belongs to the old credentials." in r.err
    assert path.read_text() == EXISTING.replace(
        'ak = "AKOLD0000000000001"\nsk = "sk-old-secret-000000001"\nsecurity_token = "old-temporary-token"\n',
        f'ak = "{AK}"\nsk = "{SK}"\n').replace(
        'endpoint = "https://modelarts.example.internal"\n',
        'endpoint = "https://modelarts.example.internal"\nregion = "cn-north-4"\n')


def test_enter_keeps_every_current_value_and_the_sk_is_never_shown(aomlog, answers, path):
    path.parent.mkdir(parents=True)
    path.write_text(EXISTING)
    path.chmod(0o644)
    answers("", "", "", "")
    r = aomlog("configure", "--profile", "default")
    assert r.status == 0, r
    assert "Secret access key (SK) [****0001]: " in r.err
    assert "Access key id (AK) [AKOLD0000000000001]: " in r.err
    assert "sk-old" not in r.err and "old-temporary-token" not in r.err
    assert path.read_text() == EXISTING
    assert mode(path) == 0o600  # and no longer readable by others


def test_aomlog_profile_chooses_the_profile(aomlog, answers, path, monkeypatch):
    monkeypatch.setenv("AOMLOG_PROFILE", "staging")
    answers(AK, SK, "", "")
    assert aomlog("configure").status == 0
    assert parse_toml(path.read_text(), path) == {"profiles": {"staging": {"ak": AK, "sk": SK}}}


def test_a_broken_config_is_not_overwritten(aomlog, answers, path):
    path.parent.mkdir(parents=True)
    path.write_text('[profiles.default]\nak = "AK\n')
    answers(AK, SK, "", "")
    r = aomlog("configure")
    assert r.status == 3
    assert r.err.startswith(f"Error: {path} is not valid TOML: ")
    assert "(at line 2" in r.err and "Access key" not in r.err  # no question asked
    assert path.read_text() == '[profiles.default]\nak = "AK\n'


def test_input_ending_early_saves_nothing(aomlog, answers, path):
    answers(AK)
    r = aomlog("configure")
    assert r.status == 3
    assert "Error: the input ended before 'Secret access key (SK)' was answered; nothing was saved" in r.err
    assert not path.exists()


def test_a_profile_defined_another_way_is_left_alone(aomlog, answers, path):
    text = '[profiles]\ndefault = { region = "cn-north-4" }\n'
    path.parent.mkdir(parents=True)
    path.write_text(text)
    answers(AK, SK, "", "")
    r = aomlog("configure")
    assert r.status == 3
    assert f"Error: cannot update profile 'default' in {path} without disturbing the rest of it" in r.err
    assert path.read_text() == text


def test_a_symlinked_config_stays_a_symlink(aomlog, answers, path, tmp_path):
    target = tmp_path / "dotfiles" / "aomlog.toml"
    target.parent.mkdir()
    target.write_text("# kept\n")
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    answers(AK, SK, "", "")
    assert aomlog("configure").status == 0
    assert path.is_symlink()
    assert target.read_text() == f'# kept\n\n[profiles.default]\nak = "{AK}"\nsk = "{SK}"\n'


def test_a_bad_profile_name(aomlog):
    r = aomlog("configure", "--profile", "a b")
    assert r.status == 2 and "Invalid value for '--profile'" in r.err


def test_the_new_profile_is_used(aomlog, answers, simulator, monkeypatch):
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=20)], ak=AK, sk=SK)
    answers(AK, SK, "", "p1")
    assert aomlog("configure").status == 0
    r = aomlog("tail", 10, 10, "-n", 3, "--endpoint", sim.url)
    assert r.status == 0, r
    assert r.out == expected_bytes(sim.log_lines(10, 10)[-3:])


def test_a_shadowing_environment_is_pointed_out(aomlog, answers, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKENV")
    answers(AK, SK, "", "")
    r = aomlog("configure")
    assert "Note: $HUAWEICLOUD_SDK_AK set in the environment take precedence over this profile." in r.err


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_toml_strings_round_trip(value):
    assert parse_toml(f"v = {toml_string(value)}\n", "x") == {"v": value}


# -- configure list ------------------------------------------------------------

def test_list_shows_each_setting_its_source_and_masks_secrets(aomlog, path, monkeypatch):
    path.parent.mkdir(parents=True)
    path.write_text(EXISTING)
    path.chmod(0o600)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "0123456789abcdef0123456789abcdef")
    r = aomlog("configure", "list")
    assert r.status == 0, r
    where = f"profile 'default' in {path}"
    assert r.out.decode() == (
        "setting         value                               source\n"
        "profile         default                             default\n"
        "region          -                                   not set\n"
        f"endpoint        https://modelarts.example.internal  {where}\n"
        "project_id      0123456789abcdef0123456789abcdef    $HUAWEICLOUD_SDK_PROJECT_ID\n"
        f"ak              AKOLD0000000000001                  {where}\n"
        f"sk              ****0001                            {where}\n"
        f"security_token  ****oken                            {where}\n"
        "token           -                                   not set\n"
        "\n"
        f"credential: access key AKOLD0000000000001 with its security token from {where}\n")
    assert r.err == ""


def test_list_of_a_named_profile_either_way(aomlog, path):
    path.parent.mkdir(parents=True)
    path.write_text(EXISTING)
    for args in (["configure", "list", "--profile", "work"], ["configure", "--profile", "work", "list"]):
        r = aomlog(*args)
        assert r.status == 0, r
        assert "sk              ****  " in r.out.decode()  # too short to show any of it
        assert "sk-work" not in r.out.decode()
        assert "credential: access key AKWORK from profile 'work'" in r.out.decode()


def test_list_with_nothing_configured(aomlog):
    r = aomlog("configure", "list")
    assert r.status == 0
    assert r.out.decode().endswith("\ncredential: none (requests go out unsigned)\n")


def test_list_of_an_unknown_profile_names_it_in_place(aomlog, path):
    path.parent.mkdir(parents=True)
    path.write_text(EXISTING)
    r = aomlog("configure", "list", "--profile", "nope")
    assert r.status == 0, r
    lines = r.out.decode().splitlines()
    assert lines[1].split() == ["profile", "nope", "--profile"]
    assert lines[2].strip() == f"! no profile 'nope' (from --profile) in {path}; known profiles: default, work"


def test_list_runs_with_half_a_key_pair_the_hint_points_at_and_names_it_in_place(aomlog, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKX")
    failed = aomlog("jobs", "--endpoint", "http://127.0.0.1:9", "--project-id", "p")
    assert failed.status == 3 and "see 'aomlog configure list'" in failed.err
    r = aomlog("configure", "list")
    assert r.status == 0, r
    out = r.out.decode()
    lines = out.splitlines()
    at = lines.index(next(line for line in lines if line.startswith("ak ")))
    assert [line.split() for line in lines[at:at + 2]] == [["ak", "AKX", "$HUAWEICLOUD_SDK_AK"], ["sk", "-", "not", "set"]]
    assert lines[at + 2] == "                ! $HUAWEICLOUD_SDK_AK is set but $HUAWEICLOUD_SDK_SK is not, in the environment"
    assert out.endswith("\ncredential: none usable (see the ! above)\n")


def test_list_runs_with_a_broken_config_file_and_names_its_line_and_column(aomlog, path, monkeypatch):
    path.parent.mkdir(parents=True)
    path.write_text('[profiles.default]\nregion = "cn-north-4"\nak = \n')
    monkeypatch.setenv("AOMLOG_REGION", "cn-north-1")
    failed = aomlog("jobs", "--project-id", "p")
    assert failed.status == 3 and "not valid TOML" in failed.err
    r = aomlog("configure", "list")
    assert r.status == 0, r
    lines = r.out.decode().splitlines()
    assert lines[2].startswith(f"                ! {path} is not valid TOML: ")
    assert lines[2].endswith("(at line 3, column 6)")
    assert lines[3].split() == ["region", "cn-north-1", "$AOMLOG_REGION"]  # the rest still shows


def test_list_runs_with_a_broken_credentials_file(aomlog, clean_env):
    ini = clean_env / ".huaweicloud" / "credentials"
    ini.parent.mkdir()
    ini.write_text("ak = AK-without-a-section\n")
    r = aomlog("configure", "list")
    assert r.status == 0, r
    assert f"                ! {ini} is not a valid credentials file: " in r.out.decode()


def test_list_with_nothing_configured_names_where_it_looked(aomlog, clean_env):
    r = aomlog("configure", "list")
    out = r.out.decode()
    assert "\nNothing is configured. Looked in:\n" in out
    assert f"  {clean_env / '.config' / 'aomlog' / 'config.toml'} (not there; $AOMLOG_CONFIG moves it)\n" in out
    assert f"  {clean_env / '.huaweicloud' / 'credentials'} (not there; $HUAWEICLOUD_SDK_CREDENTIALS_FILE moves it)\n" \
        in out
    assert "$HUAWEICLOUD_SDK_AK" in out


def test_a_piped_empty_sk_does_not_shift_the_answers(aomlog, answers, path):
    answers("AKNEW00000000000001", "", "cn-north-4", "0123456789abcdef")
    r = aomlog("configure")
    assert r.status == 3
    assert "A value is needed for 'Secret access key (SK)'; nothing was saved" in r.err
    assert not path.exists()


def test_a_url_is_not_a_region(aomlog, answers, path):
    answers("AKNEW00000000000001", "sk-new-000000000001", "https://modelarts.cn-north-4.myhuaweicloud.com", "p")
    r = aomlog("configure")
    assert r.status == 3 and "does not look like one" in r.err
    assert not path.exists()


def test_an_unusable_profile_name_from_the_environment_is_refused_before_asking(aomlog, answers, monkeypatch):
    monkeypatch.setenv("AOMLOG_PROFILE", "my prof")
    answers("AKNEW00000000000001", "sk-new-000000000001", "", "")
    r = aomlog("configure")
    assert r.status == 3
    assert r.err.startswith("Error: the profile name 'my prof' from $AOMLOG_PROFILE is not usable")
