"""Checks for exercise 03 (residual MLP). They run in the judge; student code is reached only through
the probes in `probes.py`.

Weights: the reference builds a model and perturbs every parameter (probes.make_state); the same
state_dict is loaded into the student's model, so outputs and gradients can be compared exactly. In
training mode both sides re-seed just before the forward pass, so dropout masks agree as well.

Behaviour first: checks of a property (validation, structure, determinism, identities, contract) name
in `requires=` the behaviour check they qualify, so a model that builds its layers and returns zeros or
its input scores nothing. Most properties require MODEL_COMPUTES (the model's output is right at depth 3
or at depth 0), so a mistake inside the blocks, or rejecting depth 0, costs the checks of what it
breaks, not every property again.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.i18n import Msg, Text, _, lines
from grader.judge import check, expect, expect_close, expect_equal, fail
from grader.judge.contract import describe_variant, expect_no_alias, input_changes, variants

from . import probes

IN, HID, OUT = 8, 16, 4
P_TRAIN = 0.5  # the dropout probability of the training-mode comparisons
# What a property of the whole model requires: it computes right with blocks or without them. Either
# one shows it does the task; a mistake inside the blocks or in depth 0 alone is not charged again.
MODEL_COMPUTES = "mlp_forward|mlp_depth_zero"
F64_TOL = 1e-9  # float64 outputs against the float64 reference: far above float64 rounding, far below float32's


# ----------------------------------------------------------------------------------------------
# helpers (judge side)


def _short(names, limit=6) -> Text:
    names = list(names)
    if not names:
        return _("none")
    shown = ", ".join(names[:limit])
    return _("{names}, … ({n} more)", names=shown, n=str(len(names) - limit)) if len(names) > limit else shown


def _expect_same_validation(got, want):
    """Each constructor call raises what the reference raises (None: it must be accepted)."""
    for call, expected in want.items():
        found = got[call]
        if expected is None:
            expect(found is None, _("{call} must be accepted, but it raised {found}.", call=call, found=found))
        else:
            expect(found == expected, _validation_message(call, expected, found))


def _require_loaded(got, model):
    """Fail with the key lists when the reference state_dict does not fit the student's model."""
    err = got.get("load_error")
    if err is None:
        return
    hints: list[Msg] = []
    blocks_missing = {k.split(".")[1] for k in err["missing"] if k.startswith("blocks.")}
    blocks_extra = {k.split(".")[1] for k in err["unexpected"] if k.startswith("blocks.")}
    if "0" in blocks_missing and not blocks_extra:
        hints.append(_("no block is in state_dict(): are the blocks in a plain Python list (not registered)? "
                       "Use nn.Sequential or nn.ModuleList."))
    elif blocks_missing and not blocks_extra:
        hints.append(_("your model has fewer blocks than `depth` (off by one?)."))
    elif blocks_extra and not blocks_missing:
        hints.append(_("your model has more blocks than `depth` (off by one?)."))
    if any(k.startswith("norm.") for k in err["missing"]):
        hints.append(_("the final LayerNorm `norm` (before output_layer) is missing."))
    fail(_("could not load the reference weights into your {model}: the state_dict does not match.\n"
           "  missing (expected, not in yours): {missing}\n"
           "  unexpected (in yours only):       {unexpected}\n"
           "  wrong shape:                      {wrong_shape}\n"
           "The attribute names are part of the interface (input_layer, blocks, norm, output_layer; "
           "norm, fc1, fc2, dropout inside a block).{hints}", model=model, missing=_short(err["missing"]),
           unexpected=_short(err["unexpected"]), wrong_shape=_short(err["wrong_shape"]), hints=_hint_lines(hints)))


def _hint_lines(hints) -> Text:
    """'\n  hint: …' for each hint (nothing when there is none)."""
    return lines(["", *(_("  hint: {hint}", hint=h) for h in hints)]) if hints else ""


def _block_fn(sd, x, prefix="", variant="ok"):
    """A ResidualBlock written with functionals, and the usual wrong variants (for hints)."""
    w = lambda name: sd[prefix + name]  # noqa: E731

    def norm(v):
        return F.layer_norm(v, v.shape[-1:], w("norm.weight"), w("norm.bias"))

    def branch(v, act=F.relu):
        return F.linear(act(F.linear(v, w("fc1.weight"), w("fc1.bias"))), w("fc2.weight"), w("fc2.bias"))

    if variant == "ok":
        return x + branch(norm(x))
    if variant == "post_norm":
        return norm(x + branch(x))
    if variant == "no_residual":
        return branch(norm(x))
    if variant == "gelu":
        return x + branch(norm(x), F.gelu)
    if variant == "silu":
        return x + branch(norm(x), F.silu)
    if variant == "tanh":
        return x + branch(norm(x), torch.tanh)
    if variant == "no_norm":
        return x + branch(x)
    raise ValueError(variant)


BLOCK_MISTAKES = {
    "post_norm": _("is the LayerNorm applied after the residual add (post-norm)? It belongs on the branch input."),
    "no_residual": _("the skip connection is missing: return x + branch, not the branch alone."),
    "gelu": _("the activation must be ReLU (this looks like GELU)."),
    "silu": _("the activation must be ReLU (this looks like SiLU)."),
    "tanh": _("the activation must be ReLU (this looks like tanh)."),
    "no_norm": _("the branch must start with self.norm(x) (pre-norm)."),
}


def _mlp_fn(sd, x, depth, variant="ok"):
    h = F.linear(x, sd["input_layer.weight"], sd["input_layer.bias"])
    for i in range(depth):
        h = _block_fn(sd, h, f"blocks.{i}.", variant)
    h = F.layer_norm(h, h.shape[-1:], sd["norm.weight"], sd["norm.bias"])
    return F.linear(h, sd["output_layer.weight"], sd["output_layer.bias"])


def _mlp_mistakes(sd, x, depth):
    mistakes = {hint: _mlp_fn(sd, x, depth, v) for v, hint in BLOCK_MISTAKES.items()}
    if depth > 1:
        # one block shared `depth` times: loading the state leaves the last block's weights in it
        last = {k.replace(f"blocks.{depth - 1}.", "blocks.0."): v for k, v in sd.items()}
        h = F.linear(x, sd["input_layer.weight"], sd["input_layer.bias"])
        for _block in range(depth):
            h = _block_fn(last, h, "blocks.0.")
        h = F.layer_norm(h, h.shape[-1:], sd["norm.weight"], sd["norm.bias"])
        shared = F.linear(h, sd["output_layer.weight"], sd["output_layer.bias"])
        mistakes[_("every block seems to use the same weights: is one block repeated "
                   "([ResidualBlock(...)] * depth)? Create `depth` distinct blocks.")] = shared
    return mistakes


def _forward_both(submission, reference, kind, args, x, **options):
    """The reference's perturbed weights loaded on both sides, one forward pass each (probes.run)."""
    state = reference.call(probes.make_state, kind, args)
    got = submission.call(probes.run, kind, args, state, x, **options)
    want = reference.call(probes.run, kind, args, state, x, **options)
    return state, got, want


def _out(got, model, what):
    """The output tensor of a probes.run result, after the state_dict was loaded; else a clear failure."""
    _require_loaded(got, model)
    if "not_tensor" in got:
        fail(_("{what}: forward returned a {not_tensor}, expected a tensor.", what=what, not_tensor=got['not_tensor']))
    expect(isinstance(got.get("out"), torch.Tensor), _("{what}: the call returned no output tensor.", what=what))
    return got["out"]


def _expect_input_untouched(got, what, hint=None):
    """Values, shape, dtype, version counter, requires_grad and .grad of the input, as before the call."""
    problems = input_changes(got, what, {"args[0]": _("the input x")})
    if problems:
        fail(_("{what}: {problems}{hints}", what=what, problems=tuple(problems[:3]), hints=_hint_lines([hint] if hint else [])),
             {"input_changes": [str(p) for p in problems[:10]]})


def _dropout_pattern_hint(state, x, out, p):
    """In training mode a block's output is x + m * branch / (1 - p) with m in {0, 1} per element; say
    so when the student's output is not of that form (the branch is known from the weights)."""
    if not isinstance(out, torch.Tensor) or out.shape != x.shape:
        return None
    branch = _block_fn(state, x) - x
    keep = branch.abs() > 1e-3
    ratio = (out - x)[keep] / branch[keep]
    pattern = (ratio.abs() < 1e-3) | ((ratio - 1 / (1 - p)).abs() < 1e-3)
    if bool(pattern.all()):
        return _("the branch is dropped element-wise as expected, but with other random masks: is dropout called in another order or through another random function than the block's `dropout` module?")
    return _("{n} of {total} elements of (output - x) are neither 0 nor branch / (1 - p): there must be exactly one "
             "dropout, on the branch after fc2 (no second dropout, none on x or on the sum).",
             n=int((~pattern).sum()), total=int(keep.sum()))


def _mlp_name(depth, dropout=None):
    extra = "" if dropout is None else f", dropout={dropout}"
    return f"ResidualMLP({IN}, {HID}, {OUT}, depth={depth}{extra})"


def _validation_message(call, expected, found):
    if found is None:
        return _("{call} must raise {expected}, but it returned normally (missing argument validation?).", call=call, expected=expected)
    if found == "NotImplementedError":
        return _("{call} must raise {expected}, but it raised NotImplementedError (not implemented yet).", call=call, expected=expected)
    return _("{call} must raise {expected}, but it raised {found}.", call=call, expected=expected, found=found)


# ----------------------------------------------------------------------------------------------
# 03.1 ResidualBlock.__init__


@check(task="03.1", points=1, visible=False, name="ResidualBlock rejects invalid arguments with ValueError / TypeError",
       requires=(MODEL_COMPUTES,))
def check_block_validation(submission, reference):
    _expect_same_validation(submission.call(probes.block_validation), reference.call(probes.block_validation))


# ----------------------------------------------------------------------------------------------
# 03.2 ResidualBlock.forward


@check(task="03.2", points=2, visible=True, name="ResidualBlock output equals the reference under the same weights")
def check_block_forward(submission, reference):
    for shape in [(6, HID), (2, 3, HID)]:
        x = torch.randn(*shape)
        state, got, want = _forward_both(submission, reference, "block", (HID,), x)
        what = _("ResidualBlock({HID}) on an input of shape {shape} (eval mode)", HID=HID, shape=list(shape))
        out = _out(got, f"ResidualBlock({HID})", what)
        expect_equal(got["device"], want["device"], what=_("device of the block's output"))
        expect_close(
            out,
            want["out"],
            what=_("output of {what}", what=what),
            mistakes={hint: _block_fn(state, x, variant=v) for v, hint in BLOCK_MISTAKES.items()},
        )


@check(task="03.2", points=1, visible=False, name="A block whose fc2 is all zeros is the identity",
       requires=("block_forward",))
def check_block_zero_branch_identity(submission, reference):
    x = torch.randn(5, HID)
    got = submission.call(probes.block_zero_branch, HID, x)
    expect_close(got["x"], x, what=_("the input after the forward pass (must not be modified)"))
    expect_close(
        got["out"],
        x,
        what=_("output of a ResidualBlock with fc2.weight = 0 and fc2.bias = 0 (must equal its input)"),
        hint=_("with a zero branch the block must return x itself: is the residual (skip) connection there, and is nothing (LayerNorm, dropout) applied after the add?"),
    )


@check(task="03.2", points=1, visible=False, name="Dropout acts on the residual branch only (dropout=1 makes a block the identity)",
       requires=("block_forward",))
def check_block_full_dropout_identity(submission, reference):
    x = torch.randn(5, HID)
    got = submission.call(probes.block_full_dropout, HID, x)
    expect_close(
        got["out"],
        x,
        what=_("output of ResidualBlock(dim, dropout=1.0) in training mode (must equal its input)"),
        mistakes={
            _("the block returned all zeros: is dropout applied after the residual add (it must act on the branch only, x + dropout(branch)), or is the skip connection missing?"): torch.zeros_like(x),
        },
        hint=_("with dropout=1.0 in training mode the branch is all zeros, so the block must return x."),
    )


@check(task="03.2", points=1, visible=False,
       name="In training mode a block equals the reference under the same seed (one dropout, on the branch)",
       requires=("block_forward",))
def check_block_train_matches_reference(submission, reference):
    x = torch.randn(32, HID)
    state, got, want = _forward_both(submission, reference, "block", (HID,), x, dropout=P_TRAIN, train=True)
    what = _("ResidualBlock({HID}, dropout={P_TRAIN}) output in training mode, same weights and seed as the reference", HID=HID, P_TRAIN=P_TRAIN)
    out = _out(got, f"ResidualBlock({HID})", what)
    expect_close(out, want["out"], what=what, hint=_dropout_pattern_hint(state, x, out, P_TRAIN))


# ----------------------------------------------------------------------------------------------
# 03.3 ResidualMLP.__init__


@check(task="03.3", points=2, visible=True, name="ResidualMLP state_dict keys and shapes match the interface",
       requires=(MODEL_COMPUTES,))
def check_mlp_state_dict(submission, reference):
    for depth in (3, 1, 0):
        args = (IN, HID, OUT, depth)
        got = submission.call(probes.structure, args)["shapes"]
        want = reference.call(probes.structure, args)["shapes"]
        missing = [k for k in want if k not in got]
        unexpected = [k for k in got if k not in want]
        hints = []
        if any(k.startswith("blocks.") for k in missing) and not any(k.startswith("blocks.") for k in got):
            hints.append(_("no block parameters are registered: a plain Python list hides them; use nn.Sequential or "
                           "nn.ModuleList."))
        elif any(k.startswith("blocks.") for k in unexpected) or any(k.startswith("blocks.") for k in missing):
            n_got = len({k.split(".")[1] for k in got if k.startswith("blocks.")})
            hints.append(_("found {n_got} blocks, expected {depth} (off by one?).", n_got=n_got, depth=depth))
        if any(k.startswith("norm.") for k in missing):
            hints.append(_("the final LayerNorm `norm` is missing."))
        expect(
            not missing and not unexpected,
            _("state_dict() keys of {model} differ from the interface.\n  missing:    {missing}\n  unexpected: {unexpected}{hints}",
              model=_mlp_name(depth), missing=_short(missing), unexpected=_short(unexpected), hints=_hint_lines(hints)),
        )
        for k, shape in want.items():
            expect(got[k] == shape, _("{model}: state_dict()['{k}'] has shape {got}, expected {shape}.", model=_mlp_name(depth), k=k, got=got[k], shape=shape))


@check(task="03.3", points=1, visible=False, name="ResidualMLP owns the right number of parameters",
       requires=(MODEL_COMPUTES,))
def check_mlp_parameter_count(submission, reference):
    for depth in (5, 2, 1):  # depth 5 first: every mistake gives a distinct count
        args = (IN, HID, OUT, depth)
        got = submission.call(probes.structure, args)
        want = reference.call(probes.structure, args)
        block_numel = 2 * HID + 2 * (HID * HID + HID)
        expect_equal(
            got["n_params"],
            want["n_params"],
            what=f"sum(p.numel() for p in {_mlp_name(depth)}.parameters())",  # code
            mistakes={
                _("the blocks' parameters are not registered (plain Python list?)."): want["n_params"]
                - depth * block_numel,
                _("the same block is used `depth` times: create distinct blocks."): want["n_params"]
                - (depth - 1) * block_numel,
                _("one block too many (off by one in depth?)."): want["n_params"] + block_numel,
                _("one block too few (off by one in depth?)."): want["n_params"] - block_numel,
                _("the final LayerNorm is missing."): want["n_params"] - 2 * HID,
            },
        )
        expect_equal(got["n_tensors"], want["n_tensors"], what=f"len(list({_mlp_name(depth)}.parameters()))")  # code


@check(task="03.3", points=1, visible=True, name="ResidualMLP rejects invalid arguments with ValueError / TypeError",
       requires=(MODEL_COMPUTES,))
def check_mlp_validation(submission, reference):
    _expect_same_validation(submission.call(probes.mlp_validation), reference.call(probes.mlp_validation))


@check(task="03.3", points=1, visible=False, name="blocks is indexable: blocks[i] is the i-th distinct ResidualBlock",
       requires=(MODEL_COMPUTES,))
def check_mlp_blocks_indexable(submission, reference):
    depth = 3
    got = submission.call(probes.blocks_container, (IN, HID, OUT, depth))
    name = f"{_mlp_name(depth)}.blocks"
    expect(isinstance(got, dict) and isinstance(got.get("items"), list), _("{name} could not be inspected.", name=name))
    use = _("use nn.Sequential or nn.ModuleList.")
    expect(got.get("is_module") is True, _("{name} is a {kind}, not a registered nn.Module: {use}", name=name, kind=got.get('type'), use=use))
    expect(got.get("len") == depth,
           _("len({name}) is {kind}, expected {depth}: {use}", name=name, kind=got.get('len', got.get('len_error')), depth=depth, use=use))
    ids = []
    for i, item in enumerate(got["items"]):
        expect(isinstance(item, dict), _("{name}[{i}] could not be inspected.", name=name, i=i))
        if "error" in item:
            fail(_("{name}[{i}] raised {error}: the blocks must be indexable by position ({kind} is not); {use}", name=name, i=i, error=item['error'], kind=got.get('type'), use=use))
        expect(item.get("is_block") is True, _("{name}[{i}] is a {kind}, expected a ResidualBlock.", name=name, i=i, kind=item.get('type')))
        ids.append(item.get("id"))
    expect(len(set(ids)) == len(ids), _("{name}[0], {name}[1], ... are not distinct objects: create `depth` separate ResidualBlocks, not one block repeated ([ResidualBlock(...)] * depth).", name=name))
    for i, item in enumerate(got["items"]):
        expect(item.get("registered_as") == str(i),
               _("{name}[{i}] is not the block registered as '{i}' (state_dict keys blocks.{i}.*): it is registered as {kind}.", name=name, i=i, kind=repr(item.get('registered_as'))))


# ----------------------------------------------------------------------------------------------
# 03.4 ResidualMLP.forward


@check(task="03.4", points=2, visible=True, name="ResidualMLP output equals the reference under the same weights")
def check_mlp_forward(submission, reference):
    depth = 3
    x = torch.randn(6, IN)
    state, got, want = _forward_both(submission, reference, "mlp", (IN, HID, OUT, depth), x)
    out = _out(got, _mlp_name(depth), _("{model} on x of shape {shape}", model=_mlp_name(depth), shape=f"[6, {IN}]"))
    expect_equal(got["device"], want["device"], what=_("device of the output"))
    expect_close(
        out,
        want["out"],
        what=_("output of {model} for x of shape [6, {IN}] (eval mode)", model=_mlp_name(depth), IN=IN),
        mistakes=_mlp_mistakes(state, x, depth),
    )


# The checks below hold the model to properties: each compares the student's model with itself, and
# counts only once the model computes right (MODEL_COMPUTES), so a model that does nothing earns nothing.


@check(task="03.4", points=1, visible=False, name="ResidualMLP works on [N, S, in_features] inputs",
       requires=(MODEL_COMPUTES,))
def check_mlp_forward_sequence(submission, reference):
    depth = 2
    x = torch.randn(3, 5, IN)
    got = submission.call(probes.sequence_consistency, (IN, HID, OUT, depth), x)
    expect(isinstance(got.get("out3"), torch.Tensor) and isinstance(got.get("out2"), torch.Tensor),
           _("{model} did not return a tensor for x of shape [3, 5, {IN}].", model=_mlp_name(depth), IN=IN))
    expect_equal(
        list(got["out3"].shape), [3, 5, OUT], what=_("output shape of {model} for x of shape [3, 5, {IN}]", model=_mlp_name(depth), IN=IN)
    )
    expect_close(
        got["out3"].reshape(-1, OUT),
        got["out2"],
        what=_("output of {model} for x of shape [3, 5, {IN}], compared row by row with the same rows passed as a [15, {IN}] batch", model=_mlp_name(depth), IN=IN),
        hint=_("every position must be processed independently: Linear and LayerNorm act on the last dimension only."),
    )


@check(task="03.4", points=1, visible=False,
       name="Views and inputs that require grad work, and the input is left untouched",
       requires=(MODEL_COMPUTES,))
def check_mlp_input_contract(submission, reference):
    for kind, args, shape in [("mlp", (IN, HID, OUT, 2), (5, IN)), ("mlp", (IN, HID, OUT, 2), (3, 4, IN)),
                              ("block", (HID,), (3, 4, HID))]:
        model = _mlp_name(2) if kind == "mlp" else f"ResidualBlock({HID})"
        x = torch.randn(*shape)
        plain = None
        for variant in variants(requires_grad=(False, True)):
            got = submission.call(probes.run, kind, args, None, x, variant=variant)  # its own (seeded) weights
            what = _("{model} on {variant} of shape {shape} (eval mode)", model=model, variant=describe_variant(variant), shape=list(shape))
            out = _out(got, model, what)
            if plain is None:  # the first variant is a contiguous tensor without grad: the baseline
                plain = out
            else:
                expect_close(out, plain, what=_("{what}, compared with its output on a contiguous tensor", what=what),
                             hint=_("a view (transposed or sliced tensor) is not contiguous: .view() fails on it, use .reshape() or no reshaping at all.") if variant["layout"] == "noncontiguous" else None)
            _expect_input_untouched(got, what, "use `return x + ...` instead of the in-place `x += ...`.")
            expect_no_alias(got, what=what, names={"args[0]": "x"})


@check(task="03.4", points=1, visible=False, name="depth=0 gives output_layer(norm(input_layer(x)))")
def check_mlp_depth_zero(submission, reference):
    x = torch.randn(4, IN)
    state, got, want = _forward_both(submission, reference, "mlp", (IN, HID, OUT, 0), x)
    expect_close(
        _out(got, _mlp_name(0), _("{model} on x of shape {shape}", model=_mlp_name(0), shape=f"[4, {IN}]")),
        want["out"],
        what=_("output of {model}", model=_mlp_name(0)),
        mistakes={
            _("the final LayerNorm is not applied."): F.linear(
                F.linear(x, state["input_layer.weight"], state["input_layer.bias"]),
                state["output_layer.weight"],
                state["output_layer.bias"],
            )
        },
    )


def _dropout_runs(submission, p=0.5):
    depth = 3
    x = torch.randn(6, IN)
    return _mlp_name(depth, p), submission.call(probes.dropout_behaviour, (IN, HID, OUT, depth), p, x)


@check(task="03.4", points=1, visible=False, name="In eval mode the model is deterministic and dropout is off",
       requires=(MODEL_COMPUTES,))
def check_mlp_eval_deterministic(submission, reference):
    name, got = _dropout_runs(submission)
    a, b = got["eval"]["noisy"]
    expect(
        torch.equal(a, b),
        _("two forward passes of {name} in eval mode gave different outputs (max difference {difference}): dropout must be inactive after model.eval(). Use self.dropout (nn.Dropout) or F.dropout(..., training=self.training); and register the blocks (nn.Sequential / nn.ModuleList), or model.eval() does not reach them.", name=name, difference=f"{(a - b).abs().max().item():.4g}"),
    )
    expect_close(
        a,
        got["eval"]["clean"],
        what=_("eval-mode output of {name} vs the same weights with dropout=0.0", name=name),
        hint=_("in eval mode dropout must do nothing, whatever its probability."),
    )


@check(task="03.4", points=1, visible=False, name="In training mode dropout > 0 makes the output stochastic",
       requires=(MODEL_COMPUTES,))
def check_mlp_train_stochastic(submission, reference):
    name, got = _dropout_runs(submission)
    a, b = got["train"]["noisy"]
    expect(
        not torch.equal(a, b),
        _("two forward passes of {name} in training mode gave identical outputs: dropout is not active in training mode (nn.Dropout(dropout) on the branch, or F.dropout(..., training=self.training)).", name=name),
    )


@check(task="03.4", points=1, visible=False, name="With dropout=0 (the default) training mode equals eval mode",
       requires=(MODEL_COMPUTES,))
def check_mlp_train_p0_equals_eval(submission, reference):
    name, got = _dropout_runs(submission)
    expect_close(
        got["train"]["clean"],
        got["eval"]["clean"],
        what=_("training-mode output of {model} (default dropout) vs its eval-mode output", model=name.replace(', dropout=0.5', '')),
        hint=_("with dropout=0.0 (the default) nothing random may happen in training mode."),
    )
    x = torch.randn(6, HID)
    train, eval_ = (submission.call(probes.run, "block", (HID,), None, x, dropout=None, train=mode) for mode in (True, False))
    what = _("ResidualBlock({HID}) (default dropout) in training mode vs eval mode", HID=HID)
    expect_close(_out(train, f"ResidualBlock({HID})", what), _out(eval_, f"ResidualBlock({HID})", what), what=what,
                 hint=_("the default is dropout=0.0: nothing random may happen in training mode."))


@check(task="03.4", points=1, visible=False,
       name="In training mode the model equals the reference under the same seed (no extra dropout)",
       requires=("mlp_forward",))
def check_mlp_train_matches_reference(submission, reference):
    depth = 3
    args = (IN, HID, OUT, depth)
    x = torch.randn(16, IN)
    state, got, want = _forward_both(submission, reference, "mlp", args, x, dropout=P_TRAIN, train=True)
    name = _mlp_name(depth, P_TRAIN)
    what = _("output of {name} in training mode, same weights and seed as the reference", name=name)
    expect_close(
        _out(got, name, what), want["out"], what=what,
        mistakes={_("this is the eval-mode output: dropout is not active in training mode (is `dropout` passed on to every block?)."): lambda: _mlp_fn(state, x, depth)},
        hint=_("dropout belongs only on each block's branch, once, through the block's `dropout` module; none after input_layer, between blocks or before output_layer."),
    )


def _check_grads(got, want, what):
    """`want` None: only the student's own parameters are inspected."""
    if "backward_error" in got:
        error = str(got["backward_error"])
        hint = _hint_lines([_("an in-place operation (such as `x += branch` or `x.add_(...)`) overwrote a tensor autograd "
                              "saved. Use `x = x + branch` / `return x + ...`.")]) if "inplace" in error else ""
        fail(_("backward() through {what} failed: {error}{hint}", what=what, error=error, hint=hint))
    g = got["grads"]
    w = g if want is None else want["grads"]
    missing, unexpected = sorted(set(w) - set(g)), sorted(set(g) - set(w))
    hint: Text = ""
    if any(k.startswith("blocks.0.") for k in g) and any(k.startswith("blocks.") for k in missing) and not any(
        k.startswith("blocks.") for k in unexpected
    ):
        n = len({k.split(".")[1] for k in g if k.startswith("blocks.")})
        hint = _hint_lines([_("only {n} distinct block(s) own parameters: is one block repeated ([ResidualBlock(...)] * "
                              "depth), or are there too few blocks?", n=n)])
    expect(
        not missing and not unexpected,
        _("named_parameters() of {what} differ from the interface: missing {missing}, unexpected {unexpected}.{hint}", what=what, missing=_short(missing), unexpected=_short(unexpected), hint=hint),
    )
    no_grad = [k for k, v in g.items() if v is None]
    expect(not no_grad, _("these parameters of {what} got no gradient: {no_grad}.", what=what, no_grad=_short(no_grad)))


@check(task="03.4", points=2, visible=True, name="Gradients of every parameter and of the input match the reference")
def check_mlp_gradients(submission, reference):
    depth = 3
    args = (IN, HID, OUT, depth)
    x, g = torch.randn(5, IN), torch.randn(5, OUT)
    state = reference.call(probes.make_state, "mlp", args)
    got = submission.call(probes.gradients, args, state, x, g)
    _require_loaded(got, _mlp_name(depth))
    want = reference.call(probes.gradients, args, state, x, g)
    _check_grads(got, want, _mlp_name(depth))
    for name, wg in want["grads"].items():
        expect_close(got["grads"][name], wg, what=_("gradient of {name} for loss = sum(model(x) * g)", name=name), rtol=1e-4, atol=1e-4)
    expect_close(got["x_grad"], want["x_grad"], what=_("gradient with respect to the input x"), rtol=1e-4, atol=1e-4)


@check(task="03.4", points=1, visible=False, name="Every parameter gets a finite, non-zero gradient at depth 32",
       requires=(MODEL_COMPUTES,))
def check_mlp_deep_gradients(submission, reference):
    depth = 32
    args = (IN, HID, OUT, depth)
    x, g = torch.randn(4, IN), torch.randn(4, OUT)
    got = submission.call(probes.gradients, args, None, x, g)
    _check_grads(got, None, _mlp_name(depth))
    grads = {k: v for k, v in got["grads"].items() if isinstance(v, torch.Tensor)}
    bad = [k for k, v in grads.items() if not bool(torch.isfinite(v).all())]
    expect(not bad, _("non-finite gradients (inf/NaN) in {model}: {bad}.", model=_mlp_name(depth), bad=_short(bad)))
    zero = [k for k, v in grads.items() if not bool((v != 0).any())]
    expect(not zero, _("all-zero gradients in {model}: {zero} (the signal does not reach them).", model=_mlp_name(depth), zero=_short(zero)))
    expect(
        bool(torch.isfinite(got["x_grad"]).all()) and bool((got["x_grad"] != 0).any()),
        _("the gradient with respect to the input of {model} is zero or not finite.", model=_mlp_name(depth)),
    )


@check(task="03.4", points=1, visible=False, name="After model.to(torch.float64) the outputs have float64 accuracy",
       requires=("mlp_forward",))
def check_mlp_float64(submission, reference):
    depth = 2
    x = torch.randn(4, IN, dtype=torch.float64)
    options = {"dtype": "float64", "variant": {"dtype": "float64"}}
    state, got, want = _forward_both(submission, reference, "mlp", (IN, HID, OUT, depth), x, **options)
    what = _("output of {model} after model.to(torch.float64), on a float64 input", model=_mlp_name(depth))
    out = _out(got, _mlp_name(depth), what)
    expect_equal(got["dtype"], "torch.float64", what=_("dtype of the output after model.to(torch.float64)"),
                 hint=_("every parameter must be registered so that .to() converts it, and nothing may cast to float32."))
    near = out.shape == want["out"].shape and bool(((out - want["out"]).abs() < 1e-4).all())
    # float64 accuracy: one step in float32 leaves errors of ~1e-8..1e-7, which the default float64
    # tolerance (1e-7) lets through; correct float64 formulations agree to ~1e-15.
    expect_close(
        out, want["out"], what=what, rtol=F64_TOL, atol=F64_TOL,
        hint=_("the error is of float32 size: is something computed in float32 (a .float() or a dtype=torch.float32 somewhere)?") if near else None,
    )
