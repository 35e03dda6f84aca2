"""What a user sees on a terminal: markers and colours by kind, safe text, colour switches.

Output goes to a real pseudo-terminal; the bytes are compared exactly.
"""

import re
import subprocess
import types

import pytest

from aomlog.cli import run
from aomlog.cli.env import Environment
from aomlog.api import Page
from aomlog.output.linefilter import LineFilter
from aomlog.output.render import Display, TerminalRenderer
from aomlog.output.terminal import wants_color
from aomlog.simulator import Job

from engine import run_tail
from conftest import conn_args, spawn
from fakelog import FakeApi, FakeApis
from ptycapture import PtyCapture

# The marker and colour of each kind, as the terminal receives them.
LEADS = {
    "E": b"\x1b[1;31mE\x1b[0m \x1b[31m",
    "W": b"\x1b[1;33mW\x1b[0m \x1b[33m",
    "I": b"\x1b[2;34mI\x1b[0m ",
    "D": b"\x1b[2mD\x1b[0m \x1b[2m",
    "P": b"\x1b[36mP\x1b[0m \x1b[36m",
    "M": b"\x1b[1;32mM\x1b[0m \x1b[1;32m",
}
RESET = b"\x1b[0m"
TS = "2026-11-27 07:32:39,254"


def shown(kind, text, prefix=b""):
    """One line as the terminal receives it."""
    lead = LEADS[kind]
    marker, _, colour = lead.partition(b" ")
    end = b"\n" if kind == "I" else RESET + b"\n"
    return marker + b" " + prefix + colour + text.encode() + end


@pytest.fixture
def terminal(monkeypatch):
    """stdout is a pseudo-terminal; the colour environment is a plain xterm."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("COLORTERM", raising=False)
    return PtyCapture()


def show(terminal, lines, **display):
    run_tail(FakeApi({"log1.log": lines}), 10, 10, "log1.log", ("from", 1), display=Display(**display),
             out=terminal.stream)
    return terminal.output()


KINDS = [
    (f"{TS} ERROR Training aborted: loss is NaN", "E"),
    (f"{TS} CRITICAL disk full", "E"),
    (f"{TS} WARNING DataLoader worker 3 is slow", "W"),
    (f"{TS} INFO [train] epoch 1 step 9/440 loss=2.3010", "I"),
    (f"{TS} DEBUG cache hit", "D"),
    ("Epoch 1:  50%|█████     | 50/100 [00:05<00:05, 9.02it/s]", "P"),
    (f"{TS} INFO [eval] epoch 1 val_loss=2.3750 val_acc=0.1764", "M"),
    (f"{TS} INFO ===== Epoch 2 =====", "M"),
    (f"{TS} INFO Epoch 2 finished in 348.92s (2048 samples/s)", "M"),
    ("{'eval_loss': 0.52, 'eval_accuracy': 0.81, 'epoch': 3.0}", "M"),
    ("\tNCCL_DEBUG=INFO", "I"),  # a level word inside a name is no level
    ("/opt/torch/optim/lr_scheduler.py:12: UserWarning: Detected call of `lr_scheduler.step()`", "W"),
    ("RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB", "E"),
    ("[ModelArts Service Log]Training end with return code: 1", "E"),
    ("[ModelArts Service Log]Training end with return code: 0", "I"),
    ("[ModelArts Service Log]Training completed.", "I"),
    (f"{TS} INFO the first level word counts: this ERROR is part of the message", "I"),
    ("a message that goes on and on, well past where log formats put the level, " * 2 + "ERROR", "I"),
]


def test_each_line_gets_the_marker_and_colour_of_its_kind(terminal):
    out = show(terminal, [text for text, _ in KINDS])
    assert out == b"".join(shown(kind, text) for text, kind in KINDS)


TRACEBACK = [
    "Traceback (most recent call last):",
    '  File "/home/ma-user/code/train.py", line 212, in <module>',
    "    main()",
    '  File "/home/ma-user/code/train.py", line 187, in main',
    "    loss = criterion(outputs, targets)",
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^",
    "KeyError: 'label'",
]


def test_a_whole_traceback_is_marked_as_an_error(terminal):
    lines = [f"{TS} INFO step 1", *TRACEBACK, f"{TS} INFO step 2"]
    out = show(terminal, lines)
    assert out == (shown("I", lines[0]) + b"".join(shown("E", line) for line in TRACEBACK)
                   + shown("I", lines[-1]))


def test_chained_tracebacks_are_errors_throughout(terminal):
    lines = [*TRACEBACK, "", "During handling of the above exception, another exception occurred:", "",
             *TRACEBACK, f"{TS} INFO resumed"]
    kinds = "E" * 7 + "IEI" + "E" * 7 + "I"
    assert show(terminal, lines) == b"".join(shown(k, line) for k, line in zip(kinds, lines))


def test_a_traceback_interrupted_by_a_log_line_ends_there(terminal):
    lines = [TRACEBACK[0], TRACEBACK[1], f"{TS} INFO another thread logs", "    not part of it"]
    assert show(terminal, lines) == b"".join(shown(k, line) for k, line in zip("EEII", lines))


def test_a_traceback_split_across_pages_and_files_stays_red_in_its_own_file(terminal):
    out = TerminalRenderer(terminal.stream, ["a.0", "a.1"], color=True)
    out.page("a.0", _page([f"{TS} INFO step", *TRACEBACK[:3]]))
    out.page("a.1", _page(["  indented in another file", f"{TS} INFO fine"]))
    out.page("a.0", _page([*TRACEBACK[3:], f"{TS} INFO step"]))
    a0, a1 = b"\x1b[94m[a.0]\x1b[0m ", b"\x1b[35m[a.1]\x1b[0m "
    assert terminal.output() == b"".join([
        shown("I", f"{TS} INFO step", a0), *(shown("E", line, a0) for line in TRACEBACK[:3]),
        shown("I", "  indented in another file", a1), shown("I", f"{TS} INFO fine", a1),
        *(shown("E", line, a0) for line in TRACEBACK[3:]), shown("I", f"{TS} INFO step", a0),
    ])


def _page(lines):
    return Page("".join(line + "\n" for line in lines), len(lines), "1", "2")


INJECTIONS = [
    ("\x1b]52;c;ZXZpbA==\x07", "^[]52;c;ZXZpbA==^G"),  # OSC 52: write the clipboard
    ("\x1b[2J\x1b[H", "^[[2J^[[H"),  # clear the screen
    ("\x1b]0;pwned\x1b\\", "^[]0;pwned^[\\"),  # set the window title
    ("\x9b31m one-byte CSI", "<U+009B>31m one-byte CSI"),
    ("nul\x00 del\x7f bs\x08 ff\x0c vt\x0b", "nul^@ del^? bs^H ff^L vt^K"),
    ("line\u2028separator", "line<U+2028>separator"),
    ("[red]x[/]", "[red]x[/]"),
    (":smile: [bold]b[/bold] [link=http://x]y[/link]", ":smile: [bold]b[/bold] [link=http://x]y[/link]"),
    ("tab\tstays\ta tab", "tab\tstays\ta tab"),
    ("中文 and emoji 🔥 stay", "中文 and emoji 🔥 stay"),
]


@pytest.mark.parametrize("text, seen", INJECTIONS)
def test_log_text_cannot_drive_the_terminal_or_become_markup(terminal, text, seen):
    out = show(terminal, [text])
    assert out == shown("I", seen)
    assert re.sub(rb"\x1b\[[0-9;]*m", b"", out).count(b"\x1b") == 0  # only our colour codes


def test_a_10000_character_line_arrives_whole_with_no_newline_added(terminal):
    long = f"{TS} ERROR " + "x" * 10_000
    assert show(terminal, [long, "next"]) == shown("E", long) + shown("I", "next")


def test_a_progress_bar_shows_its_last_drawing(terminal):
    redraws = "Epoch 1:  10%|█         | 10/100\rEpoch 1:  50%|█████     | 50/100\r"
    assert show(terminal, [redraws]) == shown("P", "Epoch 1:  50%|█████     | 50/100")


def test_highlight_marks_matches_and_returns_to_the_line_colour(terminal):
    lines = [f"{TS} INFO loss=2.30 acc=0.1 loss=2.10", f"{TS} ERROR loss=nan"]
    out = show(terminal, lines, line_filter=LineFilter(highlight=r"loss=\S+"))
    on = b"\x1b[1;7m"
    assert out == (LEADS["I"] + f"{TS} INFO ".encode() + on + b"loss=2.30" + RESET + b" acc=0.1 "
                   + on + b"loss=2.10" + RESET + b"\n"
                   + LEADS["E"] + f"{TS} ERROR ".encode() + RESET + b"\x1b[1;7;31m" + b"loss=nan" + RESET
                   + b"\x1b[31m" + RESET + b"\n")


def test_grep_keeps_the_colours_of_a_traceback_it_cuts_into(terminal):
    lines = [f"{TS} INFO File list loaded", *TRACEBACK]
    out = show(terminal, lines, line_filter=LineFilter(grep="File"))
    assert out == shown("I", lines[0]) + shown("E", TRACEBACK[1]) + shown("E", TRACEBACK[3])


def test_without_colour_the_text_is_still_made_safe(terminal):
    out = show(terminal, [f"{TS} ERROR \x1b[2Jboom", "Epoch 1: 10%|\rEpoch 1: 90%|"], color="never")
    assert out == f"{TS} ERROR ^[[2Jboom\nEpoch 1: 90%|\n".encode()


@pytest.mark.parametrize("choice, isatty, env, coloured", [
    ("auto", True, {}, True),
    ("auto", False, {}, False),
    ("auto", True, {"NO_COLOR": "1"}, False),
    ("auto", True, {"NO_COLOR": ""}, True),  # set but empty counts as unset (no-color.org)
    ("auto", False, {"FORCE_COLOR": "1"}, True),
    ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins over FORCE_COLOR
    ("auto", True, {"TERM": "dumb"}, False),
    ("auto", False, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
    ("always", False, {"NO_COLOR": "1", "TERM": "dumb"}, True),  # an explicit choice beats the environment
    ("never", True, {"FORCE_COLOR": "1"}, False),
])
def test_colour_choice_precedence(choice, isatty, env, coloured):
    assert wants_color(choice, isatty, env) is coloured


ERROR_LINE = f"{TS} ERROR \x1b[2Jboom"


@pytest.mark.parametrize("env, args, coloured", [
    ({}, [], True),
    ({"NO_COLOR": "1"}, [], False),
    ({"TERM": "dumb"}, [], False),
    ({"NO_COLOR": "1"}, ["--color", "always"], True),
    ({"FORCE_COLOR": "1"}, ["--color", "never"], False),
])
def test_colour_switches_on_a_terminal(terminal, monkeypatch, env, args, coloured):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert run(["tail", "10", "10", "--file", "log1.log", "--project-id", "p", "--endpoint", "http://x",
                *args], env=_fake_log([ERROR_LINE], stdout=terminal.stream)) == 0
    safe = f"{TS} ERROR ^[[2Jboom"
    assert terminal.output() == (shown("E", safe) if coloured else (safe + "\n").encode())


def test_force_color_colours_a_pipe(aomlog, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("FORCE_COLOR", "1")
    r = aomlog("tail", 10, 10, "--file", "log1.log", "--project-id", "p", "--endpoint", "http://x",
               env=_fake_log([ERROR_LINE]))
    assert r.out == shown("E", f"{TS} ERROR ^[[2Jboom")


def _fake_log(lines, stdout=None):
    """The CLI's environment with a log of ``lines`` behind the API."""
    return Environment(stdout=stdout, client=lambda conn: types.SimpleNamespace(debug=None),
                       apis=lambda client: FakeApis(FakeApi({"log1.log": lines})))


def test_aomlog_run_in_a_real_terminal_shows_the_training_log_marked_and_safe(simulator, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    sim = simulator([Job(10, 10, files=["log1.log"], total_lines=600, seed=7)])
    pty = PtyCapture()
    proc = spawn(["tail", 10, 10, "--file", "log1.log", "-n", 600, *conn_args(sim)],
                 stdout=pty.slave, stderr=subprocess.PIPE)
    assert proc.wait(timeout=60) == 0
    out = pty.output()
    assert b"\r" not in out
    assert re.sub(rb"\x1b\[[0-9;]*m", b"", out).count(b"\x1b") == 0
    rows = re.sub(rb"\x1b\[[0-9;]*m", b"", out).decode("utf-8").split("\n")[:-1]
    truth = sim.log_lines(10, 10, "log1.log")
    assert len(rows) == len(truth)
    assert {row[:2] for row in rows} == {"E ", "W ", "I ", "D ", "P ", "M "}
    for row, line in zip(rows, truth):
        if not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]", line):
            assert row[2:] == line  # the text itself is never changed
        if "\x1b[32m" in line:
            assert "^[[32m" in row


def test_notices_printed_above_a_progress_line_or_a_live_view_are_made_safe_too():
    from aomlog.cli.reading import notices

    shown = []
    notify = notices(status=None, progress=None, printer=lambda text: shown.append(text) or True)
    notify("aomlog: the API said \x1b]52;c;aGk=\x07 (HTTP 500); retrying\n")  # a clipboard write
    assert shown == ["aomlog: the API said ^[]52;c;aGk=^G (HTTP 500); retrying"]
