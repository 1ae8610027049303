"""Exercise 02's promises (exercises/02_swish/README.md, quoted) and the checks that hold a submission to them."""

from grader.judge.spec_map import SpecRule

RULES = [
    SpecRule(quote="`SwishFunction.forward`: return `x * sigmoid(x)`",
             checks=("forward_matches_silu", "extreme_values_float32")),
    SpecRule(quote="save what backward needs with `ctx.save_for_backward`",
             checks=("saves_only_input",)),
    SpecRule(quote="`SwishFunction.backward`: return `grad_output * s * (1 + x * (1 - s))`, written by hand.",
             checks=("backward_matches_silu", "extreme_values_float32")),
    SpecRule(quote="`swish(x)` returns `SwishFunction.apply(x)`; `Swish` is an `nn.Module` without parameters "
                   "whose `forward` is `swish`.",
             checks=("uses_custom_function", "swish_module")),
    SpecRule(quote="the output has the shape, dtype and device of `x`.",
             checks=("forward_matches_silu", "float16", "bfloat16", "float64_accuracy")),
    SpecRule(quote="Any shape works: a 0-dim scalar, an empty tensor, 5-D tensors, and non-contiguous inputs "
                   "(transposed or sliced views).",
             checks=("forward_any_shape", "backward_non_contiguous")),
    SpecRule(quote="`swish(x).grad_fn` must be your Function's node (its class name is `SwishFunctionBackward`).",
             checks=("uses_custom_function",)),
    SpecRule(quote="Inside `backward` do not call `torch.autograd.grad`, `.backward()` or build another autograd "
                   "graph: compute the formula directly.",
             checks=("backward_hand_written",)),
    SpecRule(quote="Multiply by `grad_output` (the chain rule); it can be any tensor of the output's shape, "
                   "including a non-contiguous or expanded one.",
             checks=("backward_matches_silu", "backward_non_contiguous")),
    SpecRule(quote="save only the input — one tensor the size of `x` (`ctx.save_for_backward(x)`).",
             checks=("saves_only_input",)),
    SpecRule(quote="do not stash extra tensors as `ctx` attributes (`ctx.s = ...`) either.",
             checks=("saves_only_input",)),
    SpecRule(quote="backward reads what it needs only from its own `ctx`, never from the Function class, a global "
                   "variable or a closure.",
             checks=("state_on_ctx", "saves_only_input")),
    SpecRule(quote="forward and gradient must be finite and accurate for large |x| (e.g. ±100, ±1000, and up to "
                   "±60000 in float16) in float32, float16 and bfloat16, and keep the input's dtype.",
             checks=("extreme_values_float32", "float16", "bfloat16")),
    SpecRule(quote="`torch.autograd.gradcheck(SwishFunction.apply, (x,))` passes for a float64 `x`",
             checks=("gradcheck_float64",)),
    SpecRule(quote="float64 inputs get float64-accurate results",
             checks=("float64_accuracy",)),
    SpecRule(quote="Do not modify the input — not in forward, not in backward",
             checks=("input_not_modified",)),
    SpecRule(quote="Do not modify `grad_output` in place either",
             checks=("input_not_modified",)),
    SpecRule(quote="Do not use `F.silu`, `nn.SiLU` or `torch.nn.functional` activations in place of the formula",
             checks=("no_builtin_silu",)),
    SpecRule(quote="Work on any device: never hard-code `\"cpu\"` or `\"cuda\"`",
             checks=("forward_matches_silu", "backward_matches_silu", "no_hardcoded_device")),
]
