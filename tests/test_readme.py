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
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lowest = dict(line.split("==") for line in (ROOT / ".ci" / "lowest.txt").read_text().split())
    bounds = {}
    for requirement in project["dependencies"]:
        found = re.match(r"^([A-Za-z0-9_.-]+)>=([0-9.]+)$", requirement)
        if found:
            bounds[found.group(1)] = found.group(2)
    padded = {name: (bound + ".0.0").split(".")[:3] for name, bound in bounds.items()}
    assert sorted(lowest) == ["click", "requests", "rich"]
    assert all(lowest[name].split(".") == padded[name] for name in lowest), (lowest, bounds)
