# expect: timeout
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    while True:
        pass
