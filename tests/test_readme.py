"""The README's set-up commands are the ones CI and users run."""

import re
import shlex

from conftest import ROOT


def setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    return [line for line in first_block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_has_exactly_two_setup_commands_demo_and_tests():
    demo, tests = setup_commands()
    assert demo.endswith("aomlog demo")
    assert "pytest" in tests and "[test]" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_exit_statuses_in_readme_match_the_code():
    from aomlog.errors import ExitStatus

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = {int(n) for n in re.findall(r"^\| (\d+) \|", readme, re.M)}
    assert documented == {int(s) for s in ExitStatus}


def test_readme_terminal_capture_is_what_aomlog_shows(simulator, aomlog):
    """The README's tmux capture, from the command it names, markers and all."""
    from aomlog.simulator import Job

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    capture = re.search(r"shows this \(captured.*?```text\n(.*?)```", readme, re.S).group(1)
    # The job `aomlog simulate --lines 2000` serves.
    sim = simulator([Job("3faf5c03-aaa1-4cbe-879d-24b05d997347", None, total_lines=2000, seed=0, name="resnet50-train")])
    command = re.search(r"the command\s+`aomlog (tail [^`]+)`", readme).group(1)
    r = aomlog(*shlex.split(command), "--color", "always", "--endpoint", sim.url, "--project-id", "sim")
    shown = re.sub(r"\x1b\[[0-9;]*m", "", r.out.decode("utf-8"))
    assert shown.startswith(capture)


def test_ci_tests_the_lowest_versions_pyproject_allows():
    project = pyproject()["project"]
    lowest = dict(line.split("==") for line in (ROOT / ".ci" / "lowest.txt").read_text().split())
    bounds = {}
    for requirement in project["dependencies"]:
        found = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)$", requirement)
        if found:
            bounds[found.group(1)] = found.group(2)
    padded = {name: (bound + ".0.0").split(".")[:3] for name, bound in bounds.items()}
    assert sorted(lowest) == ["click", "requests", "rich"]
    assert all(lowest[name].split(".") == padded[name] for name in lowest), (lowest, bounds)


def pyproject():
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def classified_minors():
    """[9, 10, ...] from the classifiers "Programming Language :: Python :: 3.9", ..."""
    return [int(c.rsplit(".", 1)[1]) for c in pyproject()["project"]["classifiers"]
            if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]


def test_the_classifiers_name_every_python_from_the_oldest_admitted():
    data = pyproject()
    floor = re.fullmatch(r">=3\.(\d+)", data["project"]["requires-python"]).group(1)
    minors = classified_minors()
    assert minors == list(range(int(floor), minors[-1] + 1)) and minors[-1] >= 13
    assert data["tool"]["mypy"]["python_version"] == f"3.{floor}"  # types checked for the oldest


def fake_pyenv(root, versions):
    for version in versions:
        python = root / "versions" / version / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text("")
    return root


def ci_pythons(root, *flags):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / ".ci" / "pythons.py"), str(root), *flags],
                          capture_output=True, text=True, check=True)
    return [line.split("/versions/")[1].split("/")[0] for line in done.stdout.splitlines()]


def test_ci_tests_the_oldest_python_admitted_and_the_newest_found(tmp_path):
    oldest = f"3.{classified_minors()[0]}"  # the oldest classified: the floor (test above)
    root = fake_pyenv(tmp_path, ["2.7.18", "3.6.15", "3.8.18", f"{oldest}.18", f"{oldest}.2", "3.12.1", "3.14.0a1",
                                 "my-venv"])
    assert ci_pythons(root) == [f"{oldest}.2", "3.12.1"]
    assert ci_pythons(fake_pyenv(tmp_path / "one", ["3.12.1"])) == ["3.12.1"]
    assert ci_pythons(tmp_path / "none") == []
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'python3 .ci/pythons.py "$pyenv_root"' in ci and '"$venv/bin/python" -m pytest' in ci
    assert 'echo "CI: no pyenv interpreters found' in ci  # never passing silently on the default alone


def test_ci_runs_the_lowest_dependencies_on_the_python_after_the_oldest(tmp_path):
    """3.9 and 3.13 run the suite, and the lowest dependencies run it on 3.10: the Pythons the
    users' training images ship are all tested."""
    root = fake_pyenv(tmp_path, ["3.8.18", "3.9.18", "3.10.2", "3.10.13", "3.11.7", "3.13.0"])
    assert ci_pythons(root, "--second") == ["3.10.13"]
    assert ci_pythons(fake_pyenv(tmp_path / "two", ["3.9.18", "3.13.0"]), "--second") == []
    assert ci_pythons(tmp_path / "none", "--second") == []
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'lowest_python=$(python3 .ci/pythons.py "$pyenv_root" --second)' in ci
    assert '"$lowest_python" -m venv .venv-lowest' in ci and ".venv-lowest/bin/python -m pytest" in ci


def test_a_skipped_test_says_why_by_default(tmp_path):
    """The README: a shell that is not installed skips its tests "and says so"."""
    import subprocess
    import sys

    (tmp_path / "test_one.py").write_text("import pytest\n\n\ndef test_it():\n    pytest.skip('zsh is not installed')\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir",
                           str(tmp_path), "-p", "no:cacheprovider", str(tmp_path / "test_one.py")],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stdout
    assert "SKIPPED [1] test_one.py:5: zsh is not installed" in done.stdout
