"""A PIN checked while it is still being typed, so that Enter does not wait for argon2.

`check_ahead` (from the sign-in screen, off the UI thread, as each digit past the
shortest PIN arrives) runs the argon2 check for what is typed so far and remembers the
answer; it tells nobody, writes nothing and counts no attempt. `sign_in` still counts the
attempt first, then takes the remembered answer for the same person, stored hash and PIN
(waiting for a check still running) instead of hashing again; each answer is used once.
One check runs at a time: digits typed meanwhile wait, and only the latest is checked.
PINs are remembered only as keyed digests, for a minute at most.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future

KEEP_SECONDS = 60.0
KEEP_AT_MOST = 4

_KEY = secrets.token_bytes(32)
_lock = threading.Lock()
_answers: dict[tuple[int, str, bytes], tuple[float, Future[bool]]] = {}
_next: tuple[int, str, str, Callable[[str, str], bool]] | None = None
_checking = False


def _digest(pin: str) -> bytes:
    """The keyed digest a PIN is remembered by; any string has one (a lone surrogate from
    undecodable input included, so a hostile PIN is refused as wrong, never a crash)."""
    return hmac.new(_KEY, pin.encode("utf-8", "surrogatepass"), hashlib.sha256).digest()


def check_ahead(staff_id: int, stored_hash: str, pin: str, matches: Callable[[str, str], bool]) -> None:
    """Check `pin` against `stored_hash` with `matches` and remember the answer; when a
    check is already running, this one waits for it (replacing any other waiting)."""
    global _next, _checking
    with _lock:
        _next = (staff_id, stored_hash, pin, matches)
        if _checking:
            return
        _checking = True
    while True:
        with _lock:
            if _next is None:
                _checking = False
                return
            staff_id, stored_hash, pin, matches = _next
            _next = None
            key = (staff_id, stored_hash, _digest(pin))
            if key in _answers:
                continue
            answer: Future[bool] = Future()
            _forget_old()
            _answers[key] = (time.monotonic(), answer)
        try:
            answer.set_result(matches(stored_hash, pin))
        except BaseException as error:  # told to whoever waits for the answer
            answer.set_exception(error)


def answer(staff_id: int, stored_hash: str, pin: str, matches: Callable[[str, str], bool]) -> bool:
    """Whether `pin` matches `stored_hash`: the answer checked ahead (waited for if still
    being checked, then forgotten), else `matches` now."""
    key = (staff_id, stored_hash, _digest(pin))
    with _lock:
        _forget_old()
        kept = _answers.pop(key, None)
    if kept is None:
        return matches(stored_hash, pin)
    return kept[1].result()


def _forget_old() -> None:
    """Drop answers older than a minute, and the oldest beyond a few (under the lock)."""
    now = time.monotonic()
    for key, (when, _) in list(_answers.items()):
        if now - when > KEEP_SECONDS or len(_answers) >= KEEP_AT_MOST:
            del _answers[key]
