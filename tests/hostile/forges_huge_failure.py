# expect: crashed
# Replaces the worker's description of exceptions with one far past the protocol's bounds (a long
# message and long traceback frames): the judge refuses it instead of writing it into reports.
import sys

from grader.sandbox import protocol

_big = protocol.Frame("train_linear.py", 1, "f" * 90_000, "c" * 90_000)
sys.modules["grader.sandbox.child_side.worker"].describe_exception = (
    lambda exc, workdir: protocol.Failure("exception", "ValueError", "m" * 90_000, (_big,) * 8))


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    raise ValueError("see my frames")
