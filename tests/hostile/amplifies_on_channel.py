# expect: crashed
# Writes a message on the grader's channel whose 1000 tensors all name one 1 MB data block: a
# judge that copied the block once per entry would build 1 GB from 1 MB.
import json
import os
import stat
import struct


def _message() -> bytes:
    one = {"$t": "tensor", "dtype": "uint8", "shape": [1 << 20], "blob": 0}
    reply = {"$t": "dict", "items": [["t", "reply"], ["ok", True], ["value", [one] * 1000]]}
    header = json.dumps({"v": reply, "blobs": [1 << 20]}).encode()
    body = b"GRW1" + struct.pack("<I", len(header)) + header + bytes(1 << 20)
    return struct.pack("<Q", len(body)) + body


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    data = _message()
    for fd in range(3, 64):
        try:
            if not stat.S_ISSOCK(os.fstat(fd).st_mode):
                continue
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError:
            pass
    return weight, bias, [0.0] * steps
