"""The training metrics in a log: found, gathered into curves, drawn or exported.

- ``extract``: the values (name, value, step, epoch) in each line, by the common frameworks' forms.
- ``curves``: the values by metric and stream, thinned for charts.
- ``view``: charts and a table on a terminal (the metrics command's ``chart`` format).
- ``export``: CSV or JSON Lines rows (its ``csv`` and ``json`` formats).

Its formats are registered in ``aomlog.output.formats``.
"""

__all__ = ["extract", "curves", "view", "export"]
