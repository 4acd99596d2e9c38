"""Spotify sign-in with Authorization Code + PKCE, tokens kept only in the caller's mapping.

The UI passes ``st.session_state`` as the mapping, so a token lives in one browser session and
nowhere else: never in a file, a log line or the page. The flow:

1. :func:`begin_login` makes a PKCE verifier and a random OAuth ``state``, keeps the verifier in
   :data:`PENDING` (process memory, bounded, expiring, one use) and returns Spotify's authorize URL.
2. Spotify sends the browser back to the redirect URI with ``?code=…&state=…``. That full-page
   load starts a *new* Streamlit session, which is why the verifier is looked up by ``state`` and
   not kept in the session that started the sign-in.
3. :func:`complete_login` exchanges the code for tokens and stores them in the new session's
   mapping through :class:`SessionCacheHandler`. spotipy refreshes them when they expire.

**Login CSRF.** ``state`` alone proves only that *someone* started the sign-in on this server: an
attacker can start one, stop at the redirect and send the victim the ``?code=…&state=…`` link,
which would sign the victim in as the attacker (and their next upload would land in the
attacker's library). So :func:`begin_login` also records an opaque ``browser`` key (the UI passes
a hash of the browser's own XSRF cookie, which another browser cannot know) and
:func:`complete_login` reports whether the redirect came back to the same browser
(:attr:`SessionPKCE.same_browser`). When it did not, the UI asks "Connect as <name>?" before any
library is opened or written.

Importing this module also installs :class:`RedactTokens` on spotipy's and urllib3's loggers:
spotipy logs request headers and token-request bodies at DEBUG level.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, MutableMapping, Sequence

from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyOauthError
from spotipy.oauth2 import SpotifyPKCE

from lib.spotify.config import READ_SCOPES, WRITE_SCOPES, SpotifyConfig

TOKEN_KEY = "_spotify_token"  # the token dict inside the session mapping
USER_KEY = "_spotify_user"    # {"id": …, "display_name": …} of the signed-in user
UI_SCOPES: tuple[str, ...] = READ_SCOPES + WRITE_SCOPES


class AuthError(RuntimeError):
    """Signing in or refreshing failed; the message says what to do (usually: connect again)."""


# -- never log a token ------------------------------------------------------------------------
_SECRET_PATTERNS = [
    re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"""(['"]?(?:access_token|refresh_token|code_verifier|code|client_secret)['"]?"""
               r"""\s*[:=]\s*['"]?)[^'",&\s}]+"""),
]


def redact(text: str) -> str:
    """``text`` with bearer tokens, refresh tokens, codes and verifiers replaced by ``***``."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1***", text)
    return text


class RedactTokens(logging.Filter):
    """A logging filter that rewrites every record through :func:`redact`.

    It also demotes spotipy's own "HTTP Error for …" lines to DEBUG: the client retries or turns
    each error into an explained exception, so the raw line is noise (e.g. the expected 403 of
    the audio-features probe).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: leave it to logging's own error handling
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.name == "spotipy.client" and (cleaned.startswith("HTTP Error for")
                                                or cleaned == "Max Retries reached"):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_REDACTOR = RedactTokens()
for _name in ("spotipy", "spotipy.client", "spotipy.oauth2", "spotipy.cache_handler",
              "urllib3.connectionpool", "lib.spotify"):
    _logger = logging.getLogger(_name)
    if not any(isinstance(f, RedactTokens) for f in _logger.filters):
        _logger.addFilter(_REDACTOR)


# -- the token cache --------------------------------------------------------------------------
class SessionCacheHandler(CacheHandler):
    """spotipy's token cache backed by a plain mapping (``st.session_state`` in the UI)."""

    def __init__(self, mapping: MutableMapping[str, Any], key: str = TOKEN_KEY) -> None:
        self.mapping = mapping
        self.key = key

    def get_cached_token(self) -> dict[str, Any] | None:
        token = self.mapping.get(self.key)
        return dict(token) if token else None

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        token = dict(token_info)
        previous = self.mapping.get(self.key) or {}
        if "scope" not in token and "scope" in previous:
            token["scope"] = previous["scope"]  # a refresh answer may omit the granted scope
        self.mapping[self.key] = token

    def clear(self) -> None:
        self.mapping.pop(self.key, None)


# -- verifiers waiting for the redirect -------------------------------------------------------
@dataclass(frozen=True)
class PendingLogin:
    verifier: str
    scopes: tuple[str, ...]
    redirect_uri: str
    created: float
    browser: str = ""  # opaque key of the browser that started it ("" when unknown)


class PendingLogins:
    """OAuth ``state`` → PKCE verifier, kept in process memory for the redirect round trip.

    Bounded (oldest dropped past ``max_entries``), expiring after ``ttl`` seconds and one-use, so
    an abandoned sign-in costs nothing and a replayed redirect fails.
    """

    def __init__(self, max_entries: int = 500, ttl: float = 600.0,
                 clock: Any = time.monotonic) -> None:
        self.max_entries, self.ttl, self.clock = max_entries, ttl, clock
        self._items: OrderedDict[str, PendingLogin] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self) -> None:
        now = self.clock()
        while self._items:
            state, item = next(iter(self._items.items()))
            if now - item.created <= self.ttl and len(self._items) <= self.max_entries:
                break
            self._items.pop(state)

    def put(self, state: str, verifier: str, scopes: Sequence[str], redirect_uri: str,
            browser: str = "") -> None:
        with self._lock:
            self._items[state] = PendingLogin(verifier, tuple(scopes), redirect_uri, self.clock(),
                                              browser)
            self._expire()

    def pop(self, state: str) -> PendingLogin | None:
        with self._lock:
            self._expire()
            return self._items.pop(state, None)

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)


PENDING = PendingLogins()


# -- the auth manager -------------------------------------------------------------------------
class SessionPKCE(SpotifyPKCE):
    """spotipy's PKCE manager with configurable URLs and no interactive fallback.

    spotipy would open a browser or prompt on stdin when it has no token; in a server that must
    never happen, so it raises :class:`AuthError` instead.
    """

    def __init__(self, config: SpotifyConfig, cache: SessionCacheHandler,
                 scopes: Sequence[str]) -> None:
        super().__init__(client_id=config.require_client_id(), redirect_uri=config.redirect_uri,
                         scope=list(scopes), cache_handler=cache, open_browser=False,
                         requests_timeout=config.timeout)
        self.OAUTH_AUTHORIZE_URL = config.authorize_url
        self.OAUTH_TOKEN_URL = config.token_url
        # Set by complete_login: the redirect came back to the browser that started the sign-in.
        self.same_browser = False

    def _get_auth_response(self, open_browser: bool | None = None) -> str:
        raise AuthError("Not connected to Spotify: connect on the Data page (or run "
                        "`python -m lib sync --login` for the command line).")

    def get_access_token(self, code: str | None = None, check_cache: bool = True) -> str:
        try:
            return super().get_access_token(code=code, check_cache=check_cache)
        except SpotifyOauthError as exc:
            raise AuthError(_oauth_message(exc)) from None

    def refresh_access_token(self, refresh_token: str) -> dict[str, Any]:
        try:
            return super().refresh_access_token(refresh_token)
        except SpotifyOauthError as exc:
            raise AuthError(_oauth_message(exc)) from None

    def force_refresh(self) -> None:
        """Refresh now (after a 401), whatever the cached expiry says."""
        token = self.cache_handler.get_cached_token()
        if not token or not token.get("refresh_token"):
            raise AuthError("Spotify sign-in expired: connect again.")
        self.refresh_access_token(token["refresh_token"])


def _oauth_message(exc: SpotifyOauthError) -> str:
    error = getattr(exc, "error", None) or "error"
    description = getattr(exc, "error_description", None) or ""
    if error == "invalid_grant":
        return ("Spotify did not accept the sign-in (it expired, was revoked or was already "
                f"used{': ' + description if description else ''}). Connect again.")
    if error == "invalid_client":
        return ("Spotify does not know this client id: check [spotify] client_id in "
                ".streamlit/secrets.toml or LABELSCOPE_SPOTIFY_CLIENT_ID.")
    return f"Spotify sign-in failed ({error}{': ' + description if description else ''})."


def make_auth_manager(config: SpotifyConfig, mapping: MutableMapping[str, Any],
                      scopes: Sequence[str] = UI_SCOPES) -> SessionPKCE:
    """An auth manager whose tokens live in ``mapping`` (``st.session_state`` in the UI)."""
    return SessionPKCE(config, SessionCacheHandler(mapping), scopes)


def browser_key(xsrf_cookie: str | None) -> str:
    """An opaque key of a browser from Streamlit's ``_streamlit_xsrf`` cookie: the SHA-256 of
    the token it holds, which is the same in every tab of that browser (the cookie is re-masked
    on each page load: ``2|mask|masked token|timestamp``) and unknown to any other. "" when
    there is no cookie (XSRF protection off, tests)."""
    value = (xsrf_cookie or "").strip("\"'")
    parts = value.split("|")
    if parts[0] == "2" and len(parts) >= 3:
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            pass
        else:
            if mask:
                value = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(masked)).hex()
    return hashlib.sha256(value.encode()).hexdigest() if value else ""


def begin_login(config: SpotifyConfig, scopes: Sequence[str] = UI_SCOPES,
                pending: PendingLogins | None = None, browser: str = "") -> str:
    """Start a sign-in: remember a fresh PKCE verifier (and ``browser``, an opaque key of the
    browser starting it, "" when unknown) under a random state; return the URL."""
    pending = PENDING if pending is None else pending
    auth = SessionPKCE(config, SessionCacheHandler({}), scopes)
    auth.get_pkce_handshake_parameters()
    state = secrets.token_urlsafe(24)
    pending.put(state, auth.code_verifier, scopes, config.redirect_uri, browser)
    return auth.get_authorize_url(state=state)


def complete_login(config: SpotifyConfig, mapping: MutableMapping[str, Any], code: str,
                   state: str, pending: PendingLogins | None = None,
                   browser: str = "") -> SessionPKCE:
    """Finish a sign-in in the session the redirect opened; tokens go into ``mapping``.

    The returned manager's ``same_browser`` is True only when a non-empty ``browser`` key equals
    the one given to :func:`begin_login`; otherwise the caller must not act on the sign-in
    before the user confirms it (see the module docstring on login CSRF).

    Raises :class:`AuthError` when the state is unknown (expired, replayed, another server
    process) or Spotify refuses the code.
    """
    pending = PENDING if pending is None else pending
    login = pending.pop(state or "")
    if login is None:
        raise AuthError("This Spotify sign-in link expired or was already used (links last 10 "
                        "minutes and work once). Click “Connect Spotify” again.")
    if login.redirect_uri != config.redirect_uri:
        raise AuthError("The redirect URI changed during sign-in; click “Connect Spotify” again.")
    auth = make_auth_manager(config, mapping, login.scopes)
    auth.code_verifier = login.verifier
    auth.code_challenge = auth._get_code_challenge()
    auth.get_access_token(code=code, check_cache=False)
    auth.same_browser = bool(login.browser) and secrets.compare_digest(login.browser, browser)
    return auth


def token_from_refresh(mapping: MutableMapping[str, Any], refresh_token: str,
                       scopes: Sequence[str] = READ_SCOPES) -> None:
    """Seed ``mapping`` with an expired token holding ``refresh_token`` (headless sync)."""
    SessionCacheHandler(mapping).save_token_to_cache({
        "access_token": "", "token_type": "Bearer", "expires_in": 0, "expires_at": 0,
        "refresh_token": refresh_token.strip(), "scope": " ".join(sorted(scopes))})


def is_connected(mapping: MutableMapping[str, Any]) -> bool:
    token = mapping.get(TOKEN_KEY)
    return bool(token and token.get("refresh_token"))


def disconnect(mapping: MutableMapping[str, Any]) -> None:
    """Forget the tokens and the signed-in user of this session."""
    mapping.pop(TOKEN_KEY, None)
    mapping.pop(USER_KEY, None)


def granted_scopes(mapping: MutableMapping[str, Any]) -> set[str]:
    token = mapping.get(TOKEN_KEY) or {}
    return set(str(token.get("scope") or "").split())
