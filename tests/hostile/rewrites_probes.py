# expect: failed
# Replaces the grader's probes in its own process so that they return junk of the wrong shape.
import grader.probe as probe_api

for name in list(probe_api._REGISTRY):
    probe_api._REGISTRY[name] = lambda sub, *args, **kwargs: {"losses": "all good", "weight": None}


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    return weight, bias, [0.0] * steps
