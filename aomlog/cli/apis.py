"""Both API families over a client, as every command makes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aomlog.api import Apis
    from aomlog.transport.client import Client


def apis_over(client: "Client") -> "Apis":
    """Both API families over ``client``; their job lists asked at once only with a key pair
    known to be good (or none): a bad one is rejected once, not twice (five in a row lock it)."""
    from aomlog.api import Apis
    from aomlog.settings import key_pairs

    return Apis(client, lists_together=key_pairs.trusted(client))
