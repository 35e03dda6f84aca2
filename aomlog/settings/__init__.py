"""Settings: what aomlog is told and what it remembers between runs.

``config`` resolves flags > environment > files with the source of each, ``config_edit``
writes profiles, ``regions`` knows the endpoints of a region, ``connect`` builds the
client (looking the project id up at IAM), ``cache`` keeps what may be lost at any
time, and ``key_pairs`` remembers the gateway's word on each key pair.
"""

__all__ = ["cache", "config", "config_edit", "connect", "key_pairs", "regions"]
