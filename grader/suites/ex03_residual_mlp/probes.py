"""Probes for exercise 03 (residual MLP). They run inside the sandbox against the student's module,
and in the judge against the reference. Stdlib, torch and grader.probe only; plain data out."""

from __future__ import annotations

import torch

from grader.contract import apply_variant, observe
from grader.probe import probe, raised

# Every model is built as ResidualBlock(*args, dropout=p) or ResidualMLP(*args, dropout=p); with p None
# the argument is left out, so the default of the signature is what is tested.


def _build(sub, kind, args, dropout=0.0):
    options = {} if dropout is None else {"dropout": dropout}
    if kind == "block":
        return sub.module.ResidualBlock(*args, **options)
    if kind == "mlp":
        return sub.module.ResidualMLP(*args, **options)
    raise ValueError(f"unknown model kind {kind!r}")


def _shapes(model):
    return {k: list(v.shape) for k, v in model.state_dict().items()}


def _load(model, state):
    """load_state_dict, but a key/shape mismatch becomes data (for a clear message), not an exception."""
    have = _shapes(model)
    missing = sorted(k for k in state if k not in have)  # in the reference, absent from the student's model
    unexpected = sorted(k for k in have if k not in state)
    wrong_shape = sorted(
        f"{k}: {have[k]} (expected {list(state[k].shape)})"
        for k in state
        if k in have and have[k] != list(state[k].shape)
    )
    if missing or unexpected or wrong_shape:
        return {"missing": missing, "unexpected": unexpected, "wrong_shape": wrong_shape}
    model.load_state_dict(state)
    return None


@probe
def make_state(sub, kind, args):
    """A state_dict of the model with every parameter perturbed (LayerNorm affine included), on CPU."""
    model = _build(sub, kind, args)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.25 * torch.randn_like(p))
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


@probe
def structure(sub, args):
    """state_dict keys and shapes, and the parameters the model really owns (shared ones once)."""
    model = _build(sub, "mlp", args)
    params = list(model.parameters())  # deduplicated by nn.Module
    return {
        "shapes": _shapes(model),
        "n_tensors": len(params),
        "n_params": sum(p.numel() for p in params),
    }


# Dropout masks are drawn after this re-seed, on both sides: however the model's construction used the
# random generator, the same forward pass draws the same masks.
FORWARD_SEED = 1234


def _output(y):
    """The forward's result as plain data: a detached tensor, or the name of what came instead."""
    if isinstance(y, torch.Tensor):
        return {"out": y.detach(), "device": str(y.device), "dtype": str(y.dtype)}
    return {"not_tensor": type(y).__name__}


@probe
def run(sub, kind, args, state, x, dropout=0.0, train=False, dtype=None, variant=None):
    """Load `state` (None: the model's own initialisation, seeded), optionally convert the model to `dtype`,
    set the mode, and call it on a variant of `x`.

    The facts of the call come back raw (grader.contract.observe): the output, the input before and
    after, and whether the output shares memory with it. The judge makes every verdict.
    """
    torch.manual_seed(0)
    model = _build(sub, kind, args, dropout).to(sub.device)
    problem = None if state is None else _load(model, sub.to_device(state))
    if problem is not None:
        return {"load_error": problem}
    if dtype is not None:
        model.to(getattr(torch, dtype))
    model.train(bool(train))
    x = apply_variant(sub.to_device(x), variant)
    torch.manual_seed(FORWARD_SEED)
    facts = observe(model, [x], {})
    facts.update(_output(facts.pop("output")))
    return facts


def _twins(sub, args, dropout):
    """Two ResidualMLPs with identical initial weights (same seed), one with `dropout`, one with the default (0)."""
    torch.manual_seed(0)
    noisy = _build(sub, "mlp", args, dropout).to(sub.device)
    torch.manual_seed(0)
    clean = _build(sub, "mlp", args, None).to(sub.device)
    return noisy, clean


@probe
def dropout_behaviour(sub, args, dropout, x):
    """Eval and train outputs (two passes each) of a model with `dropout` and of its dropout-free twin."""
    noisy, clean = _twins(sub, args, dropout)
    x = sub.to_device(x)
    out = {}
    for mode in ("eval", "train"):
        noisy.train(mode == "train")
        clean.train(mode == "train")
        out[mode] = {
            "noisy": [noisy(x).detach() for _ in range(2)],
            "clean": clean(x).detach(),
        }
    return out


@probe
def sequence_consistency(sub, args, x):
    """Eval output for x of shape [N, S, in], and for the same rows flattened to [N*S, in]."""
    torch.manual_seed(0)
    model = _build(sub, "mlp", args).to(sub.device).eval()
    x = sub.to_device(x)
    out3, out2 = model(x), model(x.reshape(-1, x.shape[-1]))
    return {"out3": out3.detach() if isinstance(out3, torch.Tensor) else None,
            "out2": out2.detach() if isinstance(out2, torch.Tensor) else None}


@probe
def block_zero_branch(sub, dim, x):
    """A ResidualBlock whose fc2 is zeroed (default init otherwise): output and input."""
    block = _build(sub, "block", (dim,)).to(sub.device)
    with torch.no_grad():
        block.fc2.weight.zero_()
        block.fc2.bias.zero_()
    x = sub.to_device(x)
    y = block(x)
    return {"out": y.detach(), "x": x}


@probe
def block_full_dropout(sub, dim, x):
    """A ResidualBlock(dim, dropout=1.0) in training mode: output and input."""
    block = _build(sub, "block", (dim,), dropout=1.0).to(sub.device).train()
    x = sub.to_device(x)
    y = block(x)
    return {"out": y.detach(), "x": x}


@probe
def block_validation(sub):
    B = sub.module.ResidualBlock
    return {
        "ResidualBlock(0)": raised(B, 0),
        "ResidualBlock(-3)": raised(B, -3),
        "ResidualBlock(8, dropout=-0.1)": raised(B, 8, dropout=-0.1),
        "ResidualBlock(8, dropout=1.5)": raised(B, 8, dropout=1.5),
        "ResidualBlock(8, dropout=0.0)": raised(B, 8, dropout=0.0),
        "ResidualBlock(8, dropout=1.0)": raised(B, 8, dropout=1.0),
        "ResidualBlock(1)": raised(B, 1),
        "ResidualBlock(8, dropout=float('nan'))": raised(B, 8, dropout=float("nan")),
        "ResidualBlock(16.0)": raised(B, 16.0),
    }


@probe
def mlp_validation(sub):
    M = sub.module.ResidualMLP
    return {
        "ResidualMLP(0, 16, 4, 2)": raised(M, 0, 16, 4, 2),
        "ResidualMLP(8, 0, 4, 2)": raised(M, 8, 0, 4, 2),
        "ResidualMLP(8, 0, 4, 0)": raised(M, 8, 0, 4, 0),
        "ResidualMLP(8, 16, 0, 2)": raised(M, 8, 16, 0, 2),
        "ResidualMLP(8, 16, -4, 2)": raised(M, 8, 16, -4, 2),
        "ResidualMLP(8, 16, 4, -1)": raised(M, 8, 16, 4, -1),
        "ResidualMLP(8, 16, 4, 0, dropout=1.5)": raised(M, 8, 16, 4, 0, dropout=1.5),
        "ResidualMLP(8, 16, 4, 0, dropout=-0.5)": raised(M, 8, 16, 4, 0, dropout=-0.5),
        "ResidualMLP(8, 16, 4, 0)": raised(M, 8, 16, 4, 0),
        "ResidualMLP(1, 1, 1, 1, dropout=1.0)": raised(M, 1, 1, 1, 1, dropout=1.0),
        "ResidualMLP(8, 16, 4, 2, dropout=float('nan'))": raised(M, 8, 16, 4, 2, dropout=float("nan")),
        "ResidualMLP(8.0, 16, 4, 2)": raised(M, 8.0, 16, 4, 2),
        "ResidualMLP(8, 16.0, 4, 2)": raised(M, 8, 16.0, 4, 2),
        "ResidualMLP(8, 16, 4.0, 2)": raised(M, 8, 16, 4.0, 2),
        "ResidualMLP(8, 16, 4, 2.0)": raised(M, 8, 16, 4, 2.0),
    }


@probe
def blocks_container(sub, args):
    """What `model.blocks` is and what indexing it gives: raw facts, the judge decides."""
    model = _build(sub, "mlp", args)
    blocks = getattr(model, "blocks", None)
    facts = {"type": type(blocks).__name__, "is_module": isinstance(blocks, torch.nn.Module)}
    try:
        facts["len"] = len(blocks)
    except Exception as exc:  # the student's container decides what len() does
        facts["len_error"] = f"{type(exc).__name__}: {exc}"
    children = dict(blocks.named_children()) if isinstance(blocks, torch.nn.Module) else {}
    items = []
    for i in range(args[3]):
        try:
            b = blocks[i]
        except Exception as exc:
            items.append({"error": f"{type(exc).__name__}: {exc}"})
            continue
        items.append({
            "type": type(b).__name__,
            "is_block": isinstance(b, sub.module.ResidualBlock),
            "id": id(b),
            "registered_as": next((name for name, c in children.items() if c is b), None),
        })
    facts["items"] = items
    return facts


@probe
def gradients(sub, args, state, x, g):
    """Backward of sum(model(x) * g) in training mode (dropout 0).

    With `state`, the reference's weights are loaded; without, the student's own initialisation is
    used. The gradients come back whole: the judge decides whether they are finite and non-zero.
    """
    model = _build(sub, "mlp", args).to(sub.device).train()
    if state is not None:
        problem = _load(model, sub.to_device(state))
        if problem is not None:
            return {"load_error": problem}
    x = sub.to_device(x).requires_grad_(True)
    out = model(x)
    try:
        (out * sub.to_device(g)).sum().backward()
    except RuntimeError as exc:  # e.g. an in-place op on a tensor autograd saved
        return {"backward_error": str(exc).splitlines()[0]}
    return {"grads": {name: p.grad for name, p in model.named_parameters()}, "x_grad": x.grad}
