"""The bank's SMS platform over HTTP: one POST per message, the message id as the idempotency key.

Body ``{"message_id", "to", "text"}`` (JSON, UTF-8); header ``Idempotency-Key: <message_id>``, the same on
every retry of every run, so the platform sends a message at most once however often it is posted. Any 2xx
means accepted. Built on ``http.client`` (no redirects followed, no proxy from the environment: the
platform is on the bank's own network).
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from collectui.domain.errors import InvalidInput
from collectui.domain.said import said


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    error: str | None = None  # no personal data: status code or error kind only
    status: int | None = None


class HttpGateway:
    kind = "http"

    def __init__(self, url: str, timeout_s: float) -> None:
        if not url:
            raise InvalidInput(
                said("error.sms.url_empty", "sms.http.url is empty: set the SMS platform's address in the policy file")
            )
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(
                said("error.sms.url_bad", f"sms.http.url {url!r} is not an http:// or https:// address", url=url)
            )
        self.url = url
        self.timeout_s = timeout_s
        self._parts = parts
        self._host = parts.hostname

    def _connection(self) -> http.client.HTTPConnection:
        cls = http.client.HTTPSConnection if self._parts.scheme == "https" else http.client.HTTPConnection
        return cls(self._host, self._parts.port, timeout=self.timeout_s)

    def send(self, message_id: str, to: str, text: str) -> Outcome:
        body = json.dumps({"message_id": message_id, "to": to, "text": text}, ensure_ascii=False).encode("utf-8")
        path = self._parts.path or "/"
        if self._parts.query:
            path += "?" + self._parts.query
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": message_id,
            "Connection": "close",
        }
        conn = self._connection()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except TimeoutError:
            return Outcome(False, f"timeout after {self.timeout_s:g} s")
        except (http.client.HTTPException, OSError) as exc:
            return Outcome(False, f"connection: {type(exc).__name__}")
        finally:
            conn.close()
        if 200 <= status < 300:
            return Outcome(True, None, status)
        return Outcome(False, f"HTTP {status}", status)
