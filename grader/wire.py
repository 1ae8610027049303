"""The plain-data codec for everything that crosses the sandbox boundary.

A message is a JSON header plus raw byte blobs for tensors and bytes. Decoding builds only
None/bool/int/float/str/bytes/list/tuple/dict and plain torch.Tensor: nothing in a message can
run code when loaded (no pickle), and tensor subclasses or objects with overridden comparisons
arrive as plain values.
"""

from __future__ import annotations

import ctypes
import json
import math
import struct
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


def _encode(value: Any, blobs: list[bytes], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("value is nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else {"$t": "float", "v": repr(float(value))}
    if isinstance(value, torch.Tensor):
        dtype, shape, data = _tensor_bytes(value)
        blobs.append(data)
        return {"$t": "tensor", "dtype": dtype, "shape": shape, "blob": len(blobs) - 1}
    if isinstance(value, (bytes, bytearray)):
        blobs.append(bytes(value))
        return {"$t": "bytes", "blob": len(blobs) - 1}
    if isinstance(value, list):
        return [_encode(v, blobs, depth + 1) for v in value]
    if isinstance(value, tuple):
        return {"$t": "tuple", "items": [_encode(v, blobs, depth + 1) for v in value]}
    if isinstance(value, dict):
        items = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise WireError(f"dict keys must be str, got {type(k).__name__}")
            items.append([k, _encode(v, blobs, depth + 1)])
        return {"$t": "dict", "items": items}
    raise WireError(f"a value of type {type(value).__name__} cannot be checked (expected tensors, numbers, strings or containers of them)")


def encode(value: Any) -> bytes:
    """Serialise plain data into one message."""
    blobs: list[bytes] = []
    tree = _encode(value, blobs, 0)
    header = json.dumps({"v": tree, "blobs": [len(b) for b in blobs]}, separators=(",", ":")).encode()
    return b"".join([MAGIC, struct.pack("<I", len(header)), header, *blobs])


def _decode(node: Any, blobs: list[bytes], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise WireError("message is nested too deeply")
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode(v, blobs, depth + 1) for v in node]
    if not isinstance(node, dict):
        raise WireError("malformed message")
    tag = node.get("$t")
    if tag == "tuple":
        return tuple(_decode(v, blobs, depth + 1) for v in node["items"])
    if tag == "dict":
        return {str(k): _decode(v, blobs, depth + 1) for k, v in node["items"]}
    if tag == "float":
        return float(node["v"]) if node["v"] in ("nan", "inf", "-inf") else _fail("bad float")
    if tag == "bytes":
        return bytes(blobs[node["blob"]])
    if tag == "tensor":
        dtype = _DTYPES.get(node["dtype"])
        shape = node["shape"]
        if dtype is None or not all(isinstance(s, int) and s >= 0 for s in shape):
            raise WireError("malformed tensor")
        data = blobs[node["blob"]]
        numel = math.prod(shape)
        if numel * torch.empty((), dtype=dtype).element_size() != len(data):
            raise WireError("tensor size does not match its data")
        if numel == 0:
            return torch.empty(shape, dtype=dtype)
        return torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)
    raise WireError(f"unknown tag {tag!r}")


def _fail(msg: str) -> Any:
    raise WireError(msg)


def decode(message: bytes) -> Any:
    """Rebuild plain data from a message; raises WireError on anything malformed."""
    if message[:4] != MAGIC or len(message) < 8:
        raise WireError("not a grader message")
    (hlen,) = struct.unpack("<I", message[4:8])
    try:
        header = json.loads(message[8 : 8 + hlen])
        blobs, offset = [], 8 + hlen
        for n in header["blobs"]:
            blobs.append(message[offset : offset + n])
            offset += n
        if offset != len(message):
            raise WireError("message length mismatch")
        return _decode(header["v"], blobs, 0)
    except (KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
        raise WireError(f"malformed message: {exc}") from None
