"""The plain-data codec for everything that crosses the sandbox boundary.

A message is a JSON header plus raw byte blobs for tensors and bytes. Decoding builds only
None/bool/int/float/str/bytes/list/tuple/dict and plain torch.Tensor: nothing in a message can
run code when loaded (no pickle), and tensor subclasses or objects with overridden comparisons
arrive as plain values.

A message from the sandbox is hostile input, so `decode` trusts nothing in it: only WireError
leaves it, every data block is used by exactly one entry (the decoded data is never larger than
the bytes received), and the header, the number of values and tensors, each string, each int and
each tensor's rank are bounded (`Bounds`).
"""

from __future__ import annotations

import ctypes
import json
import math
import struct
from dataclasses import dataclass
from typing import Any

import torch

MAGIC = b"GRW1"
MAX_DEPTH = 64

_DTYPES = {
    str(dt).removeprefix("torch."): dt
    for dt in (
        torch.float16, torch.bfloat16, torch.float32, torch.float64,
        torch.complex64, torch.complex128, torch.bool, torch.uint8,
        torch.int8, torch.int16, torch.int32, torch.int64,
    )
}
_ITEMSIZE = {name: torch.empty((), dtype=dt).element_size() for name, dt in _DTYPES.items()}
_INT_MIN, _INT_MAX = -(2**63), 2**64 - 1  # what int64 and uint64 hold: the widest a probe may return


@dataclass(frozen=True)
class Bounds:
    """How much one message may hold; both sides refuse more (the judge: as a malformed message)."""

    header_bytes: int = 4 * 2**20  # the JSON part; its parse costs at most ~25x this in memory
    values: int = 500_000          # every scalar, string, container and tensor counts one
    tensors: int = 10_000
    string_chars: int = 100_000    # one string (or dict key)
    ndim: int = 32
    dim: int = 2**40               # one dimension of a tensor (an empty one may still claim a huge shape)


BOUNDS = Bounds()


class WireError(ValueError):
    """A value cannot cross the boundary (unsupported type) or a message is malformed."""


def _tensor_bytes(t: torch.Tensor) -> tuple[str, list[int], bytes]:
    with torch._C.DisableTorchFunctionSubclass():
        plain = torch.Tensor.detach(t).to("cpu").contiguous()
        if plain.is_conj():
            plain = plain.resolve_conj()
        if plain.is_neg():
            plain = plain.resolve_neg()
        dtype = str(plain.dtype).removeprefix("torch.")
        if dtype not in _DTYPES:
            raise WireError(f"tensors of dtype {plain.dtype} cannot be checked")
        if plain.layout != torch.strided:
            raise WireError(f"tensors with layout {plain.layout} cannot be checked; return a dense tensor")
        nbytes = plain.numel() * plain.element_size()
        data = ctypes.string_at(plain.data_ptr(), nbytes) if nbytes else b""
        return dtype, list(plain.shape), data


class _Encoder:
    def __init__(self, bounds: Bounds):
        self.bounds = bounds
        self.blobs: list[bytes] = []
        self.values = 0
        self.tensors = 0

    def encode(self, value: Any, depth: int) -> Any:
        b = self.bounds
        if depth > MAX_DEPTH:
            raise WireError("value is nested too deeply")
        self.values += 1
        if self.values > b.values:
            raise WireError(f"a result of more than {b.values} values cannot be checked")
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str):
            if len(value) > b.string_chars:
                raise WireError(f"a string of {len(value)} characters cannot be checked (the limit is {b.string_chars})")
            return str(value)
        if isinstance(value, int):
            if not _INT_MIN <= value <= _INT_MAX:
                raise WireError("an integer wider than 64 bits cannot be checked")
            return int(value)
        if isinstance(value, float):
            return float(value) if math.isfinite(value) else {"$t": "float", "v": repr(float(value))}
        if isinstance(value, torch.Tensor):
            self.tensors += 1
            if self.tensors > b.tensors:
                raise WireError(f"a result of more than {b.tensors} tensors cannot be checked")
            dtype, shape, data = _tensor_bytes(value)
            if len(shape) > b.ndim:
                raise WireError(f"tensors of more than {b.ndim} dimensions cannot be checked")
            self.blobs.append(data)
            return {"$t": "tensor", "dtype": dtype, "shape": shape, "blob": len(self.blobs) - 1}
        if isinstance(value, (bytes, bytearray)):
            self.blobs.append(bytes(value))
            return {"$t": "bytes", "blob": len(self.blobs) - 1}
        if isinstance(value, list):
            return [self.encode(v, depth + 1) for v in value]
        if isinstance(value, tuple):
            return {"$t": "tuple", "items": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, dict):
            items = []
            for k, v in value.items():
                if not isinstance(k, str):
                    raise WireError(f"dict keys must be str, got {type(k).__name__}")
                items.append([self.encode(k, depth + 1), self.encode(v, depth + 1)])
            return {"$t": "dict", "items": items}
        raise WireError(f"a value of type {type(value).__name__} cannot be checked (expected tensors, numbers, strings or containers of them)")


def encode(value: Any, bounds: Bounds = BOUNDS) -> bytes:
    """Serialise plain data into one message (WireError for what cannot cross, or is too much)."""
    enc = _Encoder(bounds)
    tree = enc.encode(value, 0)
    header = json.dumps({"v": tree, "blobs": [len(b) for b in enc.blobs]}, separators=(",", ":")).encode()
    if len(header) > bounds.header_bytes:
        raise WireError(f"a result this large cannot be checked ({len(header)} bytes of numbers and strings; "
                        f"the limit is {bounds.header_bytes})")
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *enc.blobs])


def _refuse_constant(name: str) -> Any:
    raise WireError(f"bare {name} in a message")


class _Decoder:
    """One message's decoding state: which data blocks are taken, and how many values were built."""

    def __init__(self, data: memoryview, spans: list[tuple[int, int]], bounds: Bounds):
        self.data = data
        self.spans = spans
        self.taken = bytearray(len(spans))
        self.bounds = bounds
        self.values = 0
        self.tensors = 0

    def blob(self, index: Any) -> memoryview:
        if type(index) is not int or not 0 <= index < len(self.spans):
            raise WireError("a reference to a data block that does not exist")
        if self.taken[index]:
            raise WireError("a data block is used twice")
        self.taken[index] = 1
        start, n = self.spans[index]
        return self.data[start : start + n]

    def string(self, s: str) -> str:
        if len(s) > self.bounds.string_chars:
            raise WireError(f"a string of more than {self.bounds.string_chars} characters")
        if not s.isascii():
            try:
                s.encode()
            except UnicodeEncodeError:  # lone surrogates from \ud800 escapes: no report could write them
                s = s.encode("utf-8", "replace").decode()
        return s

    def decode(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("message is nested too deeply")
        self.values += 1
        if self.values > self.bounds.values:
            raise WireError(f"more than {self.bounds.values} values")
        if node is None or isinstance(node, (bool, float)):
            return node
        if isinstance(node, int):
            if not _INT_MIN <= node <= _INT_MAX:
                raise WireError("an integer wider than 64 bits")
            return node
        if isinstance(node, str):
            return self.string(node)
        if isinstance(node, list):
            return [self.decode(v, depth + 1) for v in node]
        if not isinstance(node, dict):
            raise WireError("malformed message")
        tag = node.get("$t")
        if tag == "tensor":
            return self.tensor(node)
        if tag == "tuple":
            return tuple(self.decode(v, depth + 1) for v in _items(node))
        if tag == "dict":
            out = {}
            for pair in _items(node):
                if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                    raise WireError("malformed dict entry")
                out[self.string(pair[0])] = self.decode(pair[1], depth + 1)
            return out
        if tag == "float":
            if node.get("v") not in ("nan", "inf", "-inf"):
                raise WireError("bad float")
            return float(node["v"])
        if tag == "bytes":
            return bytes(self.blob(node.get("blob")))
        raise WireError(f"unknown tag {str(tag)[:40]!r}")

    def tensor(self, node: dict[str, Any]) -> torch.Tensor:
        b = self.bounds
        self.tensors += 1
        if self.tensors > b.tensors:
            raise WireError(f"more than {b.tensors} tensors")
        name, shape = node.get("dtype"), node.get("shape")
        if not (isinstance(name, str) and name in _DTYPES and isinstance(shape, list) and len(shape) <= b.ndim
                and all(type(s) is int and 0 <= s <= b.dim for s in shape)):
            raise WireError("malformed tensor")
        data = self.blob(node.get("blob"))
        numel = math.prod(shape)
        if numel * _ITEMSIZE[name] != len(data):
            raise WireError("tensor size does not match its data")
        dtype = _DTYPES[name]
        if numel == 0:
            return torch.empty(shape, dtype=dtype)
        if dtype == torch.bool:  # any byte but 0 or 1 would be an invalid bool: normalise
            return torch.frombuffer(bytearray(data), dtype=torch.uint8).ne(0).reshape(shape)
        return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)


def _items(node: dict[str, Any]) -> list[Any]:
    items = node.get("items")
    if not isinstance(items, list):
        raise WireError("malformed container")
    return items


def decode(message: bytes | bytearray | memoryview, bounds: Bounds = BOUNDS) -> Any:
    """Rebuild plain data from a message; raises WireError (and nothing else) on anything malformed."""
    try:
        return _decode_message(memoryview(message).cast("B"), bounds)
    except WireError:
        raise
    except RecursionError:
        raise WireError("malformed message: nested too deeply") from None
    except Exception as exc:  # hostile bytes may trip anything in the parser: all of it is the message's fault
        raise WireError(f"malformed message ({type(exc).__name__}: {str(exc)[:200]})") from None


def _decode_message(data: memoryview, bounds: Bounds) -> Any:
    if len(data) < 8 or data[:4] != MAGIC:
        raise WireError("not a grader message")
    (hlen,) = struct.unpack("<I", data[4:8])
    if hlen > bounds.header_bytes:
        raise WireError(f"header of {hlen} bytes (the limit is {bounds.header_bytes})")
    if 8 + hlen > len(data):
        raise WireError("message length mismatch")
    header = json.loads(bytes(data[8 : 8 + hlen]), parse_constant=_refuse_constant)
    if not (isinstance(header, dict) and set(header) == {"v", "blobs"} and isinstance(header["blobs"], list)):
        raise WireError("malformed header")
    spans, offset = [], 8 + hlen
    for n in header["blobs"]:
        if type(n) is not int or n < 0:
            raise WireError("malformed data block length")
        spans.append((offset, n))
        offset += n
    if offset != len(data):
        raise WireError("message length mismatch")
    dec = _Decoder(data, spans, bounds)
    value = dec.decode(header["v"], 0)
    if not all(dec.taken):
        raise WireError("a data block is not used")
    return value
