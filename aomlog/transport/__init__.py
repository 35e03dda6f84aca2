"""The transport: HTTP to the ModelArts API, and nothing about its families or the user.

``client.Client`` sends, signs (``auth``), retries (``backoff``) and turns every failure
into an ``aomlog.errors`` exception, reading the API's error codes from ``codes``; those
who care hear of retries, answers and the gateway's verdicts on a key pair through
``observer.Observer``. Nothing here prints, keeps state between processes or imports
from the layers above.
"""

__all__ = ["auth", "backoff", "client", "codes", "observer"]
