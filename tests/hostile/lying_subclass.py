# expect: failed
# A tensor subclass that claims to equal anything and to be close to anything.
import torch


class Liar(torch.Tensor):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func in (torch.allclose, torch.equal):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


def train_linear(x, y, weight, bias, lr=0.01, steps=1000):
    w = torch.zeros_like(weight).as_subclass(Liar)
    b = torch.zeros_like(bias).as_subclass(Liar)
    return w, b, [0.0] * steps
