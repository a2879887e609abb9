"""The OpenID Connect client (Authlib): authorization-code flow with state and nonce, ID token checked against the
provider's published keys and issuer. Nothing of OAuth is written by hand here.

Authlib, requests and joserfc are imported by the functions of a sign-in, not with the module: every worker starts
this module, few citizens sign in on any one of them (issue 16: start-up imports are each worker's memory)."""

from __future__ import annotations

from flask import Flask, current_app

from core.citizens.identity import Identity, claims_mapping, identity_from_claims

CLIENT = "motcua_vneid"  # not "vneid": Authlib would read VNEID_* from the config on its own


class SignInError(Exception):
    """Sign-in could not be completed; ``kind`` says why (the page words it for the citizen)."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind  # "state", "denied", "token", "provider", "identity"


def init_app(app: Flask) -> None:
    """Check the claim mapping at start-up (a typo in VNEID_CLAIMS stops the app, not a citizen's sign-in)."""
    claims_mapping(app.config.get("VNEID_CLAIMS"))
    app.extensions["motcua_oidc"] = {}


def enabled() -> bool:
    """Citizen sign-in is on when ``VNEID_ISSUER`` is set."""
    return bool(current_app.config.get("VNEID_ISSUER"))


def _client():
    """The Authlib client of the configured provider, registered on first use (its discovery document is fetched
    then, and kept while the settings stay the same)."""
    from authlib.integrations.flask_client import OAuth

    config = current_app.config
    settings = (config["VNEID_ISSUER"].rstrip("/"), config.get("VNEID_CLIENT_ID") or "motcua",
                config.get("VNEID_CLIENT_SECRET") or "", config.get("VNEID_SCOPES") or "openid profile")
    clients = current_app.extensions["motcua_oidc"]
    if settings not in clients:
        issuer, client_id, secret, scopes = settings
        oauth = OAuth(current_app._get_current_object())
        oauth.register(CLIENT, client_id=client_id, client_secret=secret,
                       server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                       client_kwargs={"scope": scopes, "default_timeout": float(config.get("VNEID_TIMEOUT", 10))})
        clients.clear()
        clients[settings] = oauth.create_client(CLIENT)
    return clients[settings]


def _metadata(client) -> dict:
    import requests

    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise SignInError("provider", str(exc)) from exc
    # OpenID Connect Discovery 1.0 §4.3: the issuer the document names must be the one configured.
    if str(metadata.get("issuer", "")).rstrip("/") != current_app.config["VNEID_ISSUER"].rstrip("/"):
        client.server_metadata.clear()
        raise SignInError("provider", f"issuer mismatch: {metadata.get('issuer')!r}")
    return metadata


def start(redirect_uri: str):
    """The redirect to the provider's authorization page; state and nonce are kept in the session by Authlib."""
    import requests
    from authlib.integrations.base_client import OAuthError

    client = _client()
    _metadata(client)
    try:
        return client.authorize_redirect(redirect_uri)
    except (requests.RequestException, OAuthError) as exc:
        raise SignInError("provider", str(exc)) from exc


def finish() -> Identity:
    """Exchange the code of the provider's answer for tokens, check them and return the identity they vouch for."""
    import requests
    from authlib.integrations.base_client import OAuthError
    from joserfc.errors import JoseError

    client = _client()
    metadata = _metadata(client)
    try:
        token = client.authorize_access_token()
    except OAuthError as exc:
        if exc.error == "mismatching_state":
            raise SignInError("state", exc.description or "") from exc
        if exc.error == "access_denied":
            raise SignInError("denied", exc.description or "") from exc
        raise SignInError("token", f"{exc.error}: {exc.description}") from exc
    except JoseError as exc:  # signature, issuer, audience, expiry or nonce of the ID token
        raise SignInError("token", repr(exc)) from exc
    except (requests.RequestException, ValueError, RuntimeError) as exc:
        raise SignInError("provider", repr(exc)) from exc
    claims = dict(token.get("userinfo") or {})
    if not claims:
        raise SignInError("token", "no ID token")
    mapping = claims_mapping(current_app.config.get("VNEID_CLAIMS"))
    if metadata.get("userinfo_endpoint") and any(path.split(".")[0] not in claims for path in mapping.values()):
        claims = _with_userinfo(client, claims)
    try:
        return identity_from_claims(claims, mapping)
    except ValueError as exc:
        raise SignInError("identity", str(exc)) from exc


def _with_userinfo(client, claims: dict) -> dict:
    """Claims a provider keeps to its userinfo endpoint; its ``sub`` must be the ID token's (OIDC Core §5.3.2)."""
    import requests
    from authlib.integrations.base_client import OAuthError

    try:
        info = client.userinfo()
    except (requests.RequestException, OAuthError, ValueError) as exc:
        raise SignInError("provider", repr(exc)) from exc
    if info.get("sub") != claims.get("sub"):
        raise SignInError("token", "userinfo sub differs from the ID token's")
    return {**dict(info), **claims}
