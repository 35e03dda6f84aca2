"""A client whose answers are canned: the transport's decoding tested without a network."""

import json

import requests

from aomlog.transport.client import Client


class Canned(requests.adapters.BaseAdapter):
    """Answers every request with one status, body and headers, or raises ``raises``."""

    def __init__(self, status=200, body=b"", headers=None, raises=None):
        super().__init__()
        self.status, self.body, self.headers, self.raises = status, body, headers or {}, raises

    def send(self, request, **kwargs):
        if self.raises is not None:
            raise self.raises
        resp = requests.Response()
        resp.status_code = self.status
        resp._content = self.body if isinstance(self.body, bytes) else json.dumps(self.body).encode()
        resp.headers.update(self.headers)
        resp.request, resp.url = request, request.url
        return resp

    def close(self):
        pass


def client_answering(*args, **kwargs) -> Client:
    """A client (no retries) whose every request gets ``Canned(*args, **kwargs)``."""
    session = requests.Session()
    session.mount("http://api.test/", Canned(*args, **kwargs))
    return Client("http://api.test", "p", session=session, retries=0)
