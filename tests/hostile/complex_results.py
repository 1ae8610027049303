# expect: failed
# A correct train_linear whose probes are rewritten to return complex tensors: failure details
# must still hold plain numbers and strings (a complex in them broke the JSON of a whole class).
import torch
import torch.nn.functional as F


@torch.enable_grad()
def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    params = [weight.detach().clone().requires_grad_(True), bias.detach().clone().requires_grad_(True)]
    x, y, losses = x.detach(), y.detach(), []
    for _ in range(steps):
        loss = F.mse_loss(F.linear(x, *params), y)
        losses.append(float(loss))
        grads = torch.autograd.grad(loss, params)
        params = [(p - lr * g).detach().requires_grad_(True) for p, g in zip(params, grads)]
    return params[0].detach(), params[1].detach(), losses


# -- the hostile part -------------------------------------------------------------------------
import grader.probe as _probe_api  # noqa: E402


def _complex(v):
    if isinstance(v, torch.Tensor) and v.is_floating_point():
        return v.to(torch.complex64) + 1e-3j
    if isinstance(v, float):
        return torch.tensor(v + 1e-3j)
    if isinstance(v, dict):
        return {k: _complex(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(_complex(x) for x in v)
    return v


def _wrap(fn):
    return lambda sub, *args, **kwargs: _complex(fn(sub, *args, **kwargs))


for _name, _fn in list(_probe_api._REGISTRY.items()):
    _probe_api._REGISTRY[_name] = _wrap(_fn)
