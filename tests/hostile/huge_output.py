# expect: error
import sys


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    chunk = "x" * 2**20
    for _ in range(100):
        sys.stdout.write(chunk)
    sys.stdout.flush()
    return weight, bias, [0.0] * steps
