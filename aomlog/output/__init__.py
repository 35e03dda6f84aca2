"""Turning what the engine read into bytes for the user: the output layer.

- ``formats``: every command's output formats in one table (what ``-o`` offers, the
  default on a terminal and in a pipe, the writer of each). A new format goes there.
- ``terminal``: whether output is a terminal, whether to colour it, its width (``Destination``).
- ``render``: a log's pages as plain text, marked and coloured text, or JSON Lines.
- ``joblist``: a list of jobs as a table, tab-separated columns or JSON Lines.
- ``linefilter``, ``linekinds``, ``pagescan``, ``safetext``: which lines, of what kind, shown safely.
- ``outstream``, ``pipewatch``, ``progress``: whole writes, a reader that went away, the
  catch-up's progress line.

The submodules are imported one by one (nothing here), so that ``--help`` pays for none.
"""

__all__ = ["formats", "terminal", "render", "joblist", "linefilter", "linekinds", "pagescan", "safetext",
           "outstream", "pipewatch", "progress"]
