# expect: crashed
# Writes fake answers straight into the grader's channel: they must not become results.
import os
import struct


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    junk = b"GRW1" + struct.pack("<I", 2) + b"[]"
    for fd in range(3, 64):
        try:
            os.write(fd, struct.pack("<Q", len(junk)) + junk)
        except OSError:
            pass
    return weight, bias, [0.0] * steps
