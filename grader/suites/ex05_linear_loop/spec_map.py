"""Exercise 05: each promise of exercises/05_linear_loop/README.md and the checks that hold a submission to it."""

from grader.judge.spec_map import SpecRule

RULES = [
    SpecRule(quote="Train a one-layer linear model `y ≈ x @ weight.T + bias` with plain gradient descent",
             checks=("trains_the_model",)),
    SpecRule(quote="loss = F.mse_loss(pred, y)          # the MEAN over all N * out elements (the default reduction)",
             checks=("batch_multi_output", "batch_single_output", "one_sample_multi_output")),
    SpecRule(quote="record loss.item()                  # the loss BEFORE this step's update",
             checks=("published_first_step", "published_trajectory", "batch_multi_output")),
    SpecRule(quote="reset w.grad and b.grad             # w.grad.zero_() or w.grad = None",
             checks=("published_trajectory", "batch_multi_output", "steps_honoured")),
    SpecRule(quote="`x`      | `[in]` or `[N, in]`   | inputs (one sample or a batch of `N`)",
             checks=("one_sample_multi_output", "batch_multi_output", "published_trajectory")),
    SpecRule(quote="`losses`: a Python `list` of exactly `steps` Python `float`s (not tensors); `losses[i]` is the loss "
                   "computed **before** update `i`.",
             checks=("losses_are_floats", "published_first_step", "published_trajectory")),
    SpecRule(quote="the parameters after `steps` updates, **not requiring grad** "
                   "(`requires_grad == False`, no `grad_fn`), with the dtype and on the device of the inputs.",
             checks=("returned_detached", "results_are_new_tensors")),
    SpecRule(quote="**Do not modify the caller's tensors.** Train your own copies: after the call, `x`, `y`, `weight` "
                   "and `bias` have their old values, their old `requires_grad` flag and no new `.grad`.",
             checks=("caller_tensors_untouched", "caller_tensors_any_kind")),
    SpecRule(quote="The caller's `weight`/`bias` may or may not have `requires_grad=True`; both must work.",
             checks=("caller_params_requiring_grad",)),
    SpecRule(quote="Any of `x`, `y`, `weight` and `bias` may arrive with `requires_grad=True` or as a non-contiguous view "
                   "(a transposed or sliced tensor); the results are the same as for plain tensors.",
             checks=("caller_tensors_any_kind",)),
    SpecRule(quote="`x` and `y` are not parameters: no `.grad` may appear on them, and their shape must stay as it is "
                   "(no `unsqueeze_`).",
             checks=("caller_tensors_any_kind",)),
    SpecRule(quote="The returned `weight` and `bias` are new tensors, never the caller's own (not even for `steps = 0`).",
             checks=("results_are_new_tensors",)),
    SpecRule(quote="It also works when called inside `torch.no_grad()` (from evaluation code, say)",
             checks=("called_under_no_grad",)),
    SpecRule(quote="Work in the dtype and on the device of the inputs: `float64` inputs give `float64` results",
             checks=("float64", "returned_detached")),
    SpecRule(quote="`steps = 0` is allowed: the parameters come back unchanged and `losses == []`.",
             checks=("steps_zero", "results_are_new_tensors")),
    SpecRule(quote="Honour `lr` and `steps` (and their defaults `0.01` and `1000`).",
             checks=("lr_honoured", "steps_honoured", "defaults")),
    SpecRule(quote="**No `torch.optim`** (no `SGD`, no `Adam`, ...) and **no `torch.nn` modules** (no `nn.Linear`, "
                   "no `nn.MSELoss`, no subclass of `nn.Module`).",
             checks=("no_optim_or_nn_in_source", "no_optim_or_nn_at_run_time")),
    SpecRule(quote="The grader checks this rule both in your source code and while your code runs.",
             checks=("no_optim_or_nn_in_source", "no_optim_or_nn_at_run_time")),
    SpecRule(quote="Code that reaches names without writing them out (`getattr` with a computed name, `__import__`, "
                   "`importlib`, `exec`/`eval`, `globals()`, `__dict__`, `torch._C`, ...) counts as breaking the rule.",
             checks=("no_optim_or_nn_in_source",)),
    SpecRule(quote="The grader checks your trajectory against that formula, and against a reference implementation on "
                   "random batches with several outputs.",
             checks=("published_first_step", "published_trajectory", "batch_multi_output")),
]
