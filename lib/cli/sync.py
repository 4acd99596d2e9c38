"""``python -m lib sync``: sync one local user's Spotify library without the browser UI.

For cron-style runs (the original tool synced nightly). The refresh token comes from
``$LABELSCOPE_SPOTIFY_REFRESH_TOKEN`` or from ``spotify-refresh-token`` in the data folder (next to
the library file), which must be readable by its owner only (mode 0600). ``--login`` creates that
file: it prints Spotify's sign-in URL, reads back the address the browser was sent to, and saves
the refresh token (never printed). Spotify rotates refresh tokens; the file is updated after
every run.

Exit status: 0 done, 1 the sync or an enrichment failed (the library is unchanged), 2 setup error.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tomllib
from pathlib import Path
from typing import Any, Callable

from lib.spotify.auth import (TOKEN_KEY, AuthError, begin_login, complete_login,
                              make_auth_manager, token_from_refresh)
from lib.spotify.client import SpotifyClient
from lib.spotify.config import READ_SCOPES, ConfigError, SpotifyConfig, load_config
from lib.enrichment import DEFAULT_PROVIDERS
from lib.enrichment import PROVIDERS
from lib.enrichment import EnrichContext
from lib.enrichment import enrich
from lib.spotify.sync import Progress, SyncError, SyncOptions, sync_library
from lib.store.db import Store, db_path
from lib.store.library import load_library

TOKEN_ENV = "LABELSCOPE_SPOTIFY_REFRESH_TOKEN"
TOKEN_FILE = "spotify-refresh-token"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="sync your Spotify library (headless, for cron)",
                       description=__doc__.split("\n\n")[1])
    p.add_argument("--login", action="store_true",
                   help="sign in once and save the refresh token (0600 file in the data folder)")
    p.add_argument("--reccobeats", action="store_true",
                   help=f"also fetch audio features from ReccoBeats. "
                        f"{PROVIDERS['reccobeats'].sends}")
    p.add_argument("--musicbrainz", action="store_true",
                   help=f"also fetch labels and genres from MusicBrainz. "
                        f"{PROVIDERS['musicbrainz'].sends}")
    p.add_argument("--deezer", action="store_true",
                   help=f"also fetch tempo and loudness from Deezer. {PROVIDERS['deezer'].sends}")
    p.add_argument("--max-lookups", type=int, default=None, metavar="N",
                   help="at most N MusicBrainz requests this run (default: no limit; resumes)")
    p.add_argument("--no-enrich", action="store_true", help="skip every enrichment provider")
    p.add_argument("--no-playlists", action="store_true", help="skip playlists")
    p.add_argument("--full", action="store_true",
                   help="ask Spotify again for albums and artists already cached")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.set_defaults(func=_sync)


def token_file() -> Path:
    return db_path().parent / TOKEN_FILE


def read_refresh_token(env: dict[str, str] | None = None) -> tuple[str, str]:
    """(token, where) from the environment or the 0600 token file; ConfigError when unusable."""
    env = dict(os.environ) if env is None else env
    if env.get(TOKEN_ENV, "").strip():
        return env[TOKEN_ENV].strip(), "env"
    path = token_file()
    if not path.exists():
        raise ConfigError(f"No refresh token: run `python -m lib sync --login` once (it writes "
                          f"{path}), or set {TOKEN_ENV}.")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by other users (mode {mode:o}); it holds your "
                          f"Spotify sign-in. Run `chmod 600 {path}` and try again.")
    token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise ConfigError(f"{path} is empty: run `python -m lib sync --login` again.")
    return token, "file"


def write_refresh_token(token: str) -> Path:
    """Write the token file atomically with mode 0600 (created that way, never wider)."""
    path = token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(token + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def cli_config() -> SpotifyConfig:
    """The config from the environment, then ``.streamlit/secrets.toml`` (if there is one)."""
    secrets: dict[str, Any] = {}
    path = Path(".streamlit/secrets.toml")
    if not path.exists():
        path = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml"
    if path.exists():
        with path.open("rb") as fh:
            secrets = tomllib.load(fh)
    config = load_config(secrets)
    config.require_client_id()
    return config


def _printer(quiet: bool) -> Callable[[Progress], None]:
    def show(event: Progress) -> None:
        if not quiet:
            total = f"/{event.total:,}" if event.total else ""
            print(f"  [{event.step}] {event.done:,}{total} {event.message}", flush=True)
    return show


def _login(config: SpotifyConfig) -> int:
    url = begin_login(config, READ_SCOPES)
    print("Open this address in a browser, sign in to Spotify and allow access:\n\n  "
          f"{url}\n\nThe browser then goes to {config.redirect_uri}… (the page may not load: "
          "that is fine). Copy the whole address from the address bar and paste it here.")
    answer = input("Address: ").strip()
    from urllib.parse import parse_qs, urlsplit
    query = parse_qs(urlsplit(answer).query)
    if "error" in query:
        print(f"Spotify says: {query['error'][0]}. Nothing was saved.", file=sys.stderr)
        return 2
    if "code" not in query or "state" not in query:
        print("That address has no ?code=…&state=…; nothing was saved.", file=sys.stderr)
        return 2
    session: dict[str, Any] = {}
    complete_login(config, session, query["code"][0], query["state"][0])
    path = write_refresh_token(session[TOKEN_KEY]["refresh_token"])
    print(f"Signed in. Saved the refresh token to {path} (readable only by you). "
          "Run `python -m lib sync` to sync.")
    return 0


def _sync(args: argparse.Namespace) -> int:
    try:
        config = cli_config()
        if args.login:
            return _login(config)
        refresh_token, where = read_refresh_token()
    except (ConfigError, AuthError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    session: dict[str, Any] = {}
    token_from_refresh(session, refresh_token, READ_SCOPES)
    client = SpotifyClient(make_auth_manager(config, session, READ_SCOPES), config)
    store = Store()
    progress = _printer(args.quiet)
    status = 0
    try:
        report = sync_library(client, store, progress,
                              SyncOptions(playlists=not args.no_playlists,
                                          refresh_cache=args.full))
        print("\n".join(report.summary_lines()))
        if not args.no_enrich:
            chosen = list(DEFAULT_PROVIDERS) + [k for k in ("reccobeats", "musicbrainz",
                                                          "deezer") if getattr(args, k)]
            ctx = EnrichContext(store, report.library_id, config, progress=progress,
                                spotify_client=client,
                                max_requests={"musicbrainz": args.max_lookups})
            for result in enrich(ctx, chosen):
                print(result.line())
                for note in result.notes:
                    print(f"  {note}")
                status = 1 if result.error else status
        load_library(store, report.library_id)  # keeps its snapshot now, so the dashboard opens it warm
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = 1
    except AuthError as exc:
        print(f"error: {exc} Run `python -m lib sync --login` again.", file=sys.stderr)
        status = 1
    finally:
        _keep_rotated_token(session, refresh_token, where)
        store.close()
    return status


def _keep_rotated_token(session: dict[str, Any], old: str, where: str) -> None:
    """Spotify may hand out a new refresh token on refresh; keep it or the next run fails."""
    new = (session.get(TOKEN_KEY) or {}).get("refresh_token")
    if not new or new == old:
        return
    if where == "file":
        write_refresh_token(new)
    else:
        path = write_refresh_token(new)
        print(f"note: Spotify issued a new refresh token; saved it to {path} (0600). Unset "
              f"{TOKEN_ENV} so the next run uses the file.", file=sys.stderr)
