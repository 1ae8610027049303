# expect: error
import socket


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    socket.create_connection(("127.0.0.1", 80), timeout=2)
    return weight, bias, []
