# expect: timeout
import signal
import time


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        time.sleep(0.01)
