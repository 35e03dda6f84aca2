"""Log styles of the simulator (aomlog/simulator/styles/): the PyTorch style is
byte for byte what it always was, and the Hugging Face, Keras and MindSpore
styles carry metrics that aomlog.metrics.extract finds, with curves that look like
training, at O(1) a line."""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
from collections import defaultdict

import pytest

from aomlog.metrics.extract import Extractor, extract_line
from aomlog.simulator import (STYLES, Job, ManualClock, Simulator, default_jobs, demo_job, demo_job_v2,
                              style_jobs)
from aomlog.simulator.styles import HuggingFaceLogText, KerasLogText, LogText, MindSporeLogText, log_text

T0 = 1795764759254  # ms of line 0 in these tests; line i is 37 ms later
N = 3000
NEW_STYLES = ("huggingface", "keras", "mindspore")
UUID = "3faf5c03-aaa1-4cbe-879d-24b05d997347"


def digest(lines):
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass")).hexdigest()


def text_lines(seed=5, style="pytorch", n=N, name="worker-0", **kw):
    t = log_text(seed, name, total=kw.pop("total", n), style=style, **kw)
    return [t.line(i, T0 + 37 * i) for i in range(n)]


def samples_of(lines, page=500):
    """(line index, Sample) of every metric value, read page by page as `aomlog metrics` does."""
    ex = Extractor()
    out = []
    for p in range(0, len(lines), page):
        out += [(p + s.line, s) for s in ex.page(lines[p:p + page])]
    return out


def by_name(samples):
    series = defaultdict(list)
    for i, s in samples:
        series[s.name].append((i, s))
    return series


def trend(values):
    """(mean of the first tenth, mean of the last tenth)."""
    k = max(1, len(values) // 10)
    return sum(values[:k]) / k, sum(values[-k:]) / k


# -- the PyTorch style is unchanged -----------------------------------------------------
# Hashes and lines computed with logs.py/jobs.py as they were before styles existed.

PINNED = [
    (dict(seed=7, name="log1.log", total=3000), 3000,
     "4dbce9b1f685d5a83348b234dcfd9b2889f24e10d7ee40da0b464a0554b22c07"),
    (dict(seed=2026, name="worker-0", total=None), 6000,
     "7067a7d54be21f2a1ea4c61459a09bf85f89dba43b7f79e5f28aa9d139d90e2b"),
    (dict(seed=7, name="log1.log", rank=3, world=8, total=3000, failed=True), 3000,
     "9e057fd1bd73874dd1d0b33cdd4d5acf3c3238bba0d0f50eaa497588fbf9d2f3"),
]


@pytest.mark.parametrize("kw,n,expected", PINNED)
@pytest.mark.parametrize("style", [None, "pytorch"])
def test_pytorch_style_is_byte_identical_to_before(kw, n, expected, style):
    kw = dict(kw)
    seed, name = kw.pop("seed"), kw.pop("name")
    t = LogText(seed, name, **kw) if style is None else log_text(seed, name, style=style, **kw)
    assert type(t) is LogText and t.style == "pytorch"
    assert digest([t.line(i, T0 + 37 * i) for i in range(n)]) == expected


def test_pytorch_style_pinned_lines():
    lines = text_lines(seed=7, name="log1.log", n=3000)
    assert lines[27] == "2026-11-27 07:32:40,253 INFO ===== Epoch 1 ===== 第 1 轮训练开始"
    assert lines[28] == ("2026-11-27 07:32:40,290 INFO [train] epoch 1 step 9/440 loss=2.3321 acc=0.1100 "
                         "lr=1.000e-03 (1939.1 samples/s)")
    assert lines[50] == "    main()"
    assert lines[2999] == "[ModelArts Service Log]Training completed."


def test_jobs_keep_their_text_by_default():
    v1 = Job(10, 10, files=["log1.log"], total_lines=5000, seed=10)
    assert v1.style == "pytorch"
    assert digest(v1.file("log1.log").lines(0, 5000)) == \
        "53afb3cba6731176bfc1f76d0d7de06afd6b00887cbdd1a491194725600fe1cc"
    v2 = Job(UUID, None, files=["worker-0", "worker-1"], total_lines=3000, seed=30, style="pytorch")
    assert digest(v2.file("worker-1").lines(0, 3000)) == \
        "7a04a3c220a364b3991ea2b4ab108db24b049464f9022399a3b146df6a097aef"


# -- choosing a style ----------------------------------------------------------------------

def test_styles_are_chosen_by_name():
    assert set(STYLES) == {"pytorch", "huggingface", "keras", "mindspore"}
    classes = {"huggingface": HuggingFaceLogText, "keras": KerasLogText, "mindspore": MindSporeLogText}
    for style, cls in classes.items():
        t = log_text(1, "log1.log", style=style)
        assert type(t) is cls and isinstance(t, LogText) and t.style == style
        assert type(cls(1, "log1.log")) is cls
        job = Job(UUID, None, total_lines=10, style=style)
        assert job.style == style and type(job.file("worker-0").text) is cls
    for bad in ("tensorflow", "", None, "PyTorch"):
        with pytest.raises(ValueError):
            log_text(1, "log1.log", style=bad)
        with pytest.raises(ValueError):
            Job(UUID, None, total_lines=10, style=bad)
    with pytest.raises(ValueError):
        KerasLogText(1, "log1.log", style="mindspore")


def test_demo_jobs_keep_their_style_unless_told():
    for make in (demo_job, demo_job_v2):
        job = make(start_time=T0 / 1000)
        assert job.style == "pytorch" and job.name == "resnet50-demo"
        for style in NEW_STYLES:
            other = make(start_time=T0 / 1000, style=style)
            assert other.style == style
            f = other.file(other.files[0])
            assert type(f.text) is type(log_text(0, "x", style=style))
            assert f.lines(0, 200) != job.file(job.files[0]).lines(0, 200)


def test_style_jobs_show_each_new_style_beside_the_default_jobs():
    jobs = style_jobs()
    assert {j.name: j.style for j in jobs} == {
        "bert-finetune": "huggingface", "mnist-keras": "keras", "resnet-mindspore": "mindspore"}
    keys = [j.key for j in default_jobs()]
    assert len(keys) == len(set(keys))
    assert {j.name for j in jobs} <= {j.name for j in default_jobs()}  # served by `python -m aomlog.simulator`
    with Simulator(default_jobs(), clock=ManualClock()) as sim:
        for j in jobs:
            lines = sim.log_lines(j.job_id, j.version_id, j.files[-1])
            assert len(lines) == j.total_lines and samples_of(lines)


def test_a_styled_log_goes_over_http_unchanged():
    import json
    import urllib.request
    job = Job(UUID, None, total_lines=400, seed=3, style="keras")
    with Simulator([job]) as sim:
        url = "%s/v2/0123456789abcdef/training-jobs/%s/logs/worker-0?lines=500" % (sim.url, UUID)
        with urllib.request.urlopen(url, timeout=5) as r:
            page = json.loads(r.read())
        assert page["content"].split("\n") == sim.log_lines(UUID, None, "worker-0")
    assert any("\b" in line for line in sim.log_lines(UUID, None, "worker-0"))


# -- the metrics of each style ---------------------------------------------------------------

# Lines where aomlog.metrics.extract finds a "metric" that is none: a source location
# "file.py:123]" (transformers' explicit log format, TensorFlow's C++ logs,
# MindSpore's), Keras' "Non-trainable params: 0", run_glue's "n_gpu: 1" and
# MindSpore's "countdown: 3": look-alikes of metrics. They are realistic, so the
# simulator prints them, and metrics.py refuses them.
GAP = re.compile(r"[\w/.]+\.(?:py|cc):\d+\]|^Non-trainable params: |n_gpu: \d|countdown: \d")
# The shared odd line that does carry metrics (loss_scale=..., grad_norm=nan).
ODD_METRICS = re.compile(r"metrics:\tloss_scale=")

METRIC_LINES = {
    "huggingface": re.compile(r"^\{'(?:loss|eval_loss)': "),
    "keras": re.compile(r"(?:^|\r) ?\d+/469 \[[=>.]{30}\] - "),
    "mindspore": re.compile(r"^epoch: \d+ step: \d+, loss is |^Eval result: epoch \d+, acc: "),
}
EXPECTED = {
    "huggingface": {"loss", "grad_norm", "learning_rate", "eval_loss", "eval_accuracy", "eval_runtime",
                    "eval_samples_per_second", "eval_steps_per_second"},
    "keras": {"loss", "accuracy", "val_loss", "val_accuracy", "lr"},
    "mindspore": {"loss", "acc", "eval_loss"},
}


@pytest.mark.parametrize("style", NEW_STYLES)
def test_metrics_come_only_from_metric_lines(style):
    lines = text_lines(style=style, world=2)
    samples = samples_of(lines)
    names = {s.name for i, s in samples if not ODD_METRICS.search(lines[i])}
    assert names == EXPECTED[style]
    metric_lines = [i for i, line in enumerate(lines) if METRIC_LINES[style].search(line)]
    assert len(metric_lines) > N // 20
    found_in = {i for i, _ in samples}
    assert set(metric_lines) <= found_in  # every metric line gives its values
    for i in found_in - set(metric_lines):  # and the others nothing, but the stress line that has some
        assert ODD_METRICS.search(lines[i]), lines[i]
    assert any(GAP.search(line) for line in lines)  # the look-alikes are there, and give nothing
    # The same, line by line without carried state.
    for i, line in enumerate(lines):
        if not METRIC_LINES[style].search(line) and not ODD_METRICS.search(line):
            assert extract_line(line)[2] == [], line


@pytest.mark.parametrize("style", NEW_STYLES)
def test_losses_fall_and_accuracies_rise(style):
    series = by_name(samples_of(text_lines(style=style)))
    falls = {"huggingface": ("loss", "eval_loss"), "keras": ("loss", "val_loss"),
             "mindspore": ("loss", "eval_loss")}[style]
    rises = {"huggingface": ("eval_accuracy",), "keras": ("accuracy", "val_accuracy"),
             "mindspore": ("acc",)}[style]
    for name in falls:
        first, last = trend([s.value for _, s in series[name]])
        assert last < first * 0.7, (name, first, last)
    for name in rises:
        values = [s.value for _, s in series[name]]
        first, last = trend(values)
        assert first < last <= 1, (name, first, last)
        assert all(0 <= v <= 1 for v in values)


def test_huggingface_metrics_and_epochs():
    lines = text_lines(style="huggingface")
    series = by_name(samples_of(lines))
    train = series["loss"]
    epochs = [s.epoch for _, s in train]
    assert None not in epochs and epochs == sorted(epochs)
    assert any(e != int(e) for e in epochs) and epochs[0] == 0.1
    for name in ("grad_norm", "learning_rate"):
        assert [s.epoch for _, s in series[name] if not math.isnan(s.value)] == epochs
    lr = [s.value for _, s in series["learning_rate"]]
    assert lr == sorted(lr, reverse=True) and 0 < lr[-1] < lr[0] <= 5e-05  # linear decay
    for name in EXPECTED["huggingface"] - {"loss", "grad_norm", "learning_rate"}:
        assert [s.epoch for _, s in series[name]] == [float(e) for e in range(1, len(series[name]) + 1)]
    assert all(s.step is None for _, s in train)
    header = "\n".join(lines[:40])
    for text in (">> ***** Running training *****", ">>   Num examples = 16,000", ">>   Num Epochs = 30",
                 ">>   Total optimization steps = 15,000"):
        assert text in header


def test_keras_metrics_carry_the_banner_epoch():
    lines = text_lines(style="keras")
    series = by_name(samples_of(lines, page=97))  # banners and their lines fall on different pages
    epoch_of_line = {}
    banner = None
    for i, line in enumerate(lines):
        m = re.fullmatch(r"Epoch (\d+)/100", line)
        banner = float(m.group(1)) if m else banner
        epoch_of_line[i] = banner
    for name in EXPECTED["keras"]:
        assert all(s.epoch == epoch_of_line[i] and s.epoch is not None for i, s in series[name]), name
    ends = [i for i, line in enumerate(lines) if line.startswith("469/469 [")]
    assert [i for i, _ in series["val_loss"]] == ends == [i for i, _ in series["val_accuracy"]]
    assert len(ends) >= 90 and len(series["loss"]) > 20 * len(ends)
    lr = [s.value for _, s in series["lr"]]
    assert lr == sorted(lr, reverse=True) and lr[0] == 0.001 and lr[-1] < lr[0]


def test_mindspore_losses_have_step_and_epoch():
    lines = text_lines(style="mindspore")
    series = by_name(samples_of(lines))
    loss = series["loss"]
    assert all(s.step is not None and s.epoch is not None for _, s in loss)
    assert all(s.step % 50 == 0 and 0 < s.step <= 1562 for _, s in loss)
    assert [(s.epoch, s.step) for _, s in loss] == sorted((s.epoch, s.step) for _, s in loss)
    evals = [s.epoch for _, s in series["acc"]]
    assert evals == [s.epoch for _, s in series["eval_loss"]] == [float(e) for e in range(1, len(evals) + 1)]
    assert all(s.step is None for _, s in series["acc"])
    assert sum("epoch time: " in line and " ms, per step time: " in line for line in lines) == len(evals)


@pytest.mark.parametrize("line", [
    "[INFO|trainer.py:2048] 2026-11-27 07:32:39,254 >> ***** Running training *****",
    "2026-11-27 07:32:39.254123: W tensorflow/core/framework/cpu_allocator_impl.cc:82] Allocation of 188160000 "
    "exceeds 10% of free system memory.",
    "[WARNING] ME(1263:281473000725596,MainProcess):2026-11-27-07:32:39.846.225 "
    "[mindspore/train/serialization.py:1773] The type of bn1.moving_mean:Float32 in 'parameter_dict' is different",
    "Non-trainable params: 0",
    "11/27/2026 07:32:39 - WARNING - __main__ - Process rank: 0, device: cuda:0, n_gpu: 1, distributed training: "
    "True, 16-bits training: True",
    "[WARNING] ME(1263:281473000725596,MainProcess):2026-11-27-07:32:39.883.015 "
    "[mindspore/run_check/_check_version.py:411] Please pay attention to the above warning, countdown: 3",
], ids=["transformers-file-line", "tensorflow-file-line", "mindspore-file-line", "keras-non-trainable-params",
        "run-glue-n-gpu", "mindspore-countdown"])
def test_realistic_non_metrics_are_refused(line):
    assert extract_line(line)[2] == []


# -- text like the PyTorch style's -------------------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
def test_noise_oddities_and_tracebacks_at_similar_rates(style):
    lines = text_lines(style=style, n=6000)
    n = len(lines)
    assert not any("\n" in line for line in lines)
    tracebacks = sum(line == "Traceback (most recent call last):" for line in lines)
    warnings = sum("WARNING" in line or " W tensorflow" in line for line in lines)
    odd = sum(bool(re.search("[\x1b\u2028\x0c]|\\[bold\\]|:rocket:|🔥|\t", line)) for line in lines)
    redrawn = sum("\r" in line for line in lines)
    assert 5 <= tracebacks <= n / 60, tracebacks
    assert n / 50 <= warnings <= n / 8, warnings
    assert n / 80 <= odd <= n / 10, odd
    assert redrawn >= n / 100, redrawn
    assert lines[-1] == "[ModelArts Service Log]Training completed."
    failed = text_lines(style=style, n=200, failed=True)
    assert failed[-1] == "[ModelArts Service Log]Training failed."
    assert failed[:-3] == text_lines(style=style, n=200)[:-3]


# -- pure functions of the index, O(1) a line --------------------------------------------------

@pytest.mark.parametrize("style", NEW_STYLES)
def test_a_growing_job_keeps_its_lines_and_its_curves(style):
    clock = ManualClock()
    job = Job(UUID, None, initial_lines=50, lines_per_second=200, duration_s=20, seed=8, style=style)
    with Simulator([job], clock=clock) as sim:
        clock.advance(5)
        early = sim.log_lines(UUID, None, "worker-0")
        clock.advance(30)
        done = sim.log_lines(UUID, None, "worker-0")
    assert 500 < len(early) < len(done) and done[:len(early)] == early
    assert done[-1] == "[ModelArts Service Log]Training completed."
    def seen(lines):  # (the odd lines' grad_norm=nan: compare texts, nan != nan)
        return [(i, s.step, s.epoch, s.name, s.text) for i, s in samples_of(lines)]
    assert seen(early) == seen(done)[:len(seen(early))]

@pytest.mark.parametrize("style", STYLES)
def test_same_seed_same_text_in_any_order(style):
    a = text_lines(seed=11, style=style, n=1500, total=None)
    assert a == text_lines(seed=11, style=style, n=1500, total=None)
    assert a != text_lines(seed=12, style=style, n=1500, total=None)
    assert a != text_lines(seed=11, style=style, n=1500, total=None, name="worker-1")
    t = log_text(11, "worker-0", style=style)
    order = list(range(1500))
    random.Random(1).shuffle(order)
    assert {i: t.line(i, T0 + 37 * i) for i in order} == dict(enumerate(a))


@pytest.mark.parametrize("style", STYLES)
def test_a_line_far_away_costs_no_more_than_one_near(style):
    t = log_text(4, "log1.log", style=style)
    far = 10 ** 12

    def page(start):
        t0 = time.perf_counter()
        out = [t.line(i, T0 + i) for i in range(start, start + 5000)]
        return out, time.perf_counter() - t0

    near_lines, near = page(1000)
    far_lines, far_s = page(far)
    assert near < 1.0 and far_s < 1.0  # ~3 us a line; generous for a loaded machine
    assert far_s < 5 * near + 0.05
    assert log_text(4, "log1.log", style=style).line(far + 17, T0 + far + 17) == far_lines[17]
    assert samples_of(far_lines)  # still training, still metrics
