"""A small HTTP client for the benchmark: one session (cookies, CSRF) per simulated user,
a new connection per request as gunicorn's sync workers close them, standard library
only so the figures include nothing but the server."""

import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    ms: float
    queries: int | None
    size: int
    location: str


class Session:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        origin = f"https://{self.host}:{self.port}"
        headers = {
            "Host": f"{self.host}:{self.port}",
            # As behind the TLS proxy production runs behind (SECURE_PROXY_SSL_HEADER).
            "X-Forwarded-Proto": "https",
            "Referer": origin + "/",
            "Origin": origin,
            "Accept-Language": "es",
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        return headers

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, **headers: str
    ) -> tuple[Reply, str]:
        data = urlencode(body).encode() if body is not None else None
        extra = dict(headers)
        if data is not None:
            extra["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            conn.request(method, path, body=data, headers=self._headers(extra))
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                self.cookies[key] = morsel.value
        queries = response.headers.get("X-Queries")
        reply = Reply(
            status=response.status,
            ms=ms,
            queries=int(queries) if queries is not None else None,
            size=len(payload),
            location=response.headers.get("Location", ""),
        )
        return reply, payload.decode("utf-8", "replace")

    def get(self, path: str, **headers: str) -> tuple[Reply, str]:
        return self.request("GET", path, None, **headers)

    def post(self, path: str, body: dict[str, str]) -> tuple[Reply, str]:
        body = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **body}
        return self.request("POST", path, body)

    def login(self, username: str, password: str) -> None:
        """Through the login form, as a person would."""
        _reply, html = self.get("/login/")
        match = _CSRF_INPUT.search(html)
        token = match.group(1) if match else self.cookies.get("csrftoken", "")
        reply, _html = self.request(
            "POST",
            "/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if reply.status not in (302, 303) or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {reply.status}")
