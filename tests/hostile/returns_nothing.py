# expect: error
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    pass
