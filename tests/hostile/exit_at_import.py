# expect: crashed
import os

os._exit(0)


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    return weight, bias, []
