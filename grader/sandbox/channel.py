"""Length-prefixed messages over a stream socket, with a deadline and a size cap on receive."""

from __future__ import annotations

import socket
import struct
import time

_LEN = struct.Struct("<Q")


class MessageTooLarge(Exception):
    """The other side announced more bytes than this side accepts."""


def send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(_LEN.pack(len(payload)) + payload)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytearray:
    """Exactly n bytes, read into one buffer (no second copy of a large message)."""
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
        try:
            k = sock.recv_into(view[got:], min(n - got, 1 << 20))
        except TimeoutError:
            raise TimeoutError from None
        if not k:
            raise EOFError
        got += k
    return buf


def recv(sock: socket.socket, limit: int, deadline: float | None = None) -> bytearray:
    """One message; EOFError when the peer is gone, TimeoutError past the deadline."""
    (n,) = _LEN.unpack(_recv_exact(sock, _LEN.size, deadline))
    if n > limit:
        raise MessageTooLarge(n)
    return _recv_exact(sock, n, deadline)
