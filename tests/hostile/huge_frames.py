# expect: error
# Fails deep in a recursion, in a function whose one line is 1 MB long: read as it is, the
# traceback would be a gigabyte of frames. The report gets a few frames of a few hundred characters.
import os

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "deep.py"), "w") as f:
    f.write("def down(n):\n    return down(n + 1)  # " + "x" * 1_000_000 + "\n")

import deep  # noqa: E402


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    return deep.down(0)
