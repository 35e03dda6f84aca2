"""Curves gathered from samples: statistics over every value, points bounded, the x axis chosen."""

import math

from aomlog.metrics.curves import MAX_POINTS, Curves
from aomlog.metrics.extract import Sample


def sample(name, value, step=None, epoch=None, line=0):
    return Sample(line, step, epoch, name, value, repr(value))


def test_last_min_max_and_where_over_every_value():
    curves = Curves()
    curves.page("w0", [sample("loss", 2.0, step=1, epoch=1.0, line=0), sample("loss", 0.5, step=2, epoch=1.0, line=1),
                       sample("loss", float("nan"), step=3, epoch=2.0, line=2)], lines=3)
    (series,) = curves.of("loss")
    assert series.count == 3 and series.last[0] == "nan"
    assert series.low[0] == 0.5 and str(series.low[2]) == "epoch 1, step 2"
    assert series.high[0] == 2.0 and str(series.high[2]) == "epoch 1, step 1"


def test_points_stay_bounded_however_long_the_log():
    curves = Curves()
    for page in range(200):
        curves.page("w0", [sample("loss", 1 / (i + 1), step=page * 500 + i, line=i) for i in range(500)], lines=500)
    (series,) = curves.of("loss")
    assert series.count == 100_000
    assert len(series.points) <= MAX_POINTS
    axis, xs, ys = series.xy()
    assert axis == "step" and xs == sorted(xs) and xs[0] == 0 and xs[-1] >= 99_000


def test_the_x_axis_is_the_step_when_it_grows_else_the_epoch_else_the_line():
    curves = Curves()
    curves.page("w0", [sample("loss", 1.0, step=10, epoch=1.0, line=0), sample("loss", 0.9, step=5, epoch=2.0, line=1)],
                lines=2)
    assert curves.of("loss")[0].xy()[0] == "epoch"  # steps start again each epoch
    curves.page("w0", [sample("acc", 0.1, line=3), sample("acc", 0.2, line=7)], lines=10)
    axis, xs, _ = curves.of("acc")[0].xy()
    assert axis == "line" and xs == [6.0, 10.0]  # counted across pages from the first line read


def test_charted_metrics_are_the_named_ones_or_the_most_frequent():
    curves = Curves()
    curves.page("w0", [sample("loss", 1.0)] * 5 + [sample("acc", 1.0)] * 3 + [sample("lr", 1.0)] * 4
                + [sample("grad_norm", 1.0)] * 2 + [sample("val_loss", 1.0)], lines=15)
    assert curves.chosen() == ["loss", "lr", "acc", "grad_norm"]
    named = Curves(["val_loss", "loss", "nope"])
    kept = named.page("w0", [sample("loss", 1.0), sample("acc", 1.0), sample("val_loss", 2.0)], lines=3)
    assert [s.name for s in kept] == ["loss", "val_loss"]
    assert named.chosen() == ["val_loss", "loss"]
    assert all(not math.isnan(x) for x in named.of("loss")[0].xy()[1])
