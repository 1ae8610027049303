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


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks, left = [], n
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(left, 1 << 20))
        except TimeoutError:
            raise TimeoutError from None
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, limit: int, deadline: float | None = None) -> bytes:
    """One message; EOFError when the peer is gone, TimeoutError past the deadline."""
    (n,) = _LEN.unpack(_recv_exact(sock, _LEN.size, deadline))
    if n > limit:
        raise MessageTooLarge(n)
    return _recv_exact(sock, n, deadline)
