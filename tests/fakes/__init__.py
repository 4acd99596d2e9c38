"""Local fakes of the remote services labelscope talks to, served on 127.0.0.1 by the tests.

- :mod:`tests.fakes.server`: a threaded ``http.server`` with fault injection (status codes,
  ``Retry-After``, slow answers) and a request log.
- :mod:`tests.fakes.spotify`: Spotify accounts (authorize with PKCE, token, refresh) and the Web
  API endpoints the sync uses, with realistic payloads (paging with ``next``, null tracks, local
  files, episodes, 403 on audio-features and on removed batch endpoints).
- :mod:`tests.fakes.reccobeats`, :mod:`tests.fakes.musicbrainz`: the enrichment services.
"""
