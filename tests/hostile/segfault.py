# expect: crashed
import ctypes


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    ctypes.string_at(0)
