# expect: error
import sys


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    sys.exit(0)
