"""A small OpenID Connect provider on the loopback, for the login tests: discovery, an authorize
endpoint that signs in one fixed user at once, a token endpoint that issues an RS256 id_token
(joserfc, Authlib's JOSE library), and the key set to check it with.

It keeps to what a real provider checks: the client and its registered redirect URI, codes used
once, the client's secret on the token request, and the nonce of the authorization request in
the id_token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass(frozen=True)
class ProviderUser:
    """Who the provider signs in."""

    sub: str
    name: str
    email: str


@dataclass
class OidcProvider:
    """The provider's state: its client, its user, its signing key and the codes handed out."""

    client_id: str
    client_secret: str
    redirect_uri: str
    user: ProviderUser
    kid: str = field(default_factory=lambda: secrets.token_hex(8))
    key: RSAKey = field(init=False)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    signed_in: list[str] = field(default_factory=list)  # the subjects of the id_tokens issued
    server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": self.kid, "alg": "RS256", "use": "sig"})

    @property
    def issuer(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "sub": self.user.sub, "aud": self.client_id, "iat": now, "exp": now + 600,
            "nonce": nonce, "name": self.user.name, "email": self.user.email, "email_verified": True,
        }  # fmt: skip
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self.key)

    def start(self) -> OidcProvider:
        """Serve on a free loopback port in a daemon thread."""
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(provider: OidcProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            address = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(address.query).items()}
            if address.path == "/.well-known/openid-configuration":
                self._json(200, provider.metadata())
            elif address.path == "/jwks":
                self._json(200, provider.jwks())
            elif address.path == "/authorize":
                self._authorize(query)
            else:
                self._json(404, {"error": "not_found"})

        def _authorize(self, query: dict[str, str]) -> None:
            if (
                query.get("client_id") != provider.client_id
                or query.get("redirect_uri") != provider.redirect_uri
            ):
                self._json(400, {"error": "invalid_client"})
                return
            if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
                self._json(400, {"error": "invalid_request"})
                return
            code = secrets.token_urlsafe(16)
            provider.codes[code] = {
                "nonce": query.get("nonce", ""),
                "redirect_uri": query["redirect_uri"],
                "challenge": query.get("code_challenge", ""),
            }
            target = f"{provider.redirect_uri}?{urlencode({'code': code, 'state': query.get('state', '')})}"
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/token":
                self._json(404, {"error": "not_found"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            client = (form.get("client_id", ""), form.get("client_secret", ""))
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                given = base64.b64decode(basic[6:]).decode()
                client = tuple(given.split(":", 1))  # type: ignore[assignment]
            if client != (provider.client_id, provider.client_secret):
                self._json(401, {"error": "invalid_client"})
                return
            grant = provider.codes.pop(form.get("code", ""), None)
            if (
                form.get("grant_type") != "authorization_code"
                or grant is None
                or form.get("redirect_uri") != grant["redirect_uri"]
                or not _verifier_matches(form.get("code_verifier", ""), grant["challenge"])
            ):
                self._json(400, {"error": "invalid_grant"})
                return
            provider.signed_in.append(provider.user.sub)
            self._json(
                200,
                {
                    "access_token": secrets.token_urlsafe(24),
                    "token_type": "Bearer",
                    "expires_in": 600,
                    "scope": "openid email profile",
                    "id_token": provider.id_token(grant["nonce"]),
                },
            )

    return Handler


def _verifier_matches(verifier: str, challenge: str) -> bool:
    """PKCE (S256): the token request's verifier hashes to the authorization request's challenge.

    >>> _verifier_matches("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
    ...                   "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")  # RFC 7636, appendix B
    True
    >>> _verifier_matches("", ""), _verifier_matches("x", "")
    (True, False)
    """
    if not challenge:
        return not verifier
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
