"""The one rule for every ``next``: a page of this site, or nowhere (docs/architecture.md#forms).

Sign-in, sign-up, recovery, the first recovery codes and the help-line country form all
send a person on to a ``next`` they were given. Each asks ``local_path`` before anything
is stored, so a ``next`` that is not a path of ours can never fail after a write.
"""

from __future__ import annotations

import re

# "/" then printable ASCII: never "//" (another host), never a backslash, space, tab or
# line break (browsers read a backslash as a slash and drop tabs and line breaks, so
# "/\evil" or "/<tab>/evil" would leave the site; a line break cannot go in a header).
_LOCAL_PATH = re.compile(r"/(?!/)[!-\[\]-~]*")
# Longer than any page of ours; a ``next`` is kept in the session cookie meanwhile.
MAX_NEXT_LENGTH = 512


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None."""
    if target and len(target) <= MAX_NEXT_LENGTH and _LOCAL_PATH.fullmatch(target):
        return target  # starting with one "/", it names neither a scheme nor a host
    return None


def safe_next(target: str | None, default: str) -> str:
    """Where to go on: ``target`` when it is a path on this site, else ``default``."""
    return local_path(target) or default
