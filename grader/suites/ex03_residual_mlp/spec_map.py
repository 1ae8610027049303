"""Exercise 03: every promise of exercises/03_residual_mlp/README.md and the checks that hold a submission to it."""

from grader.judge.spec_map import SpecRule

RULES = [
    # ResidualBlock
    SpecRule(quote="forward(x) = x + dropout(fc2(relu(fc1(norm(x)))))",
             checks=("block_forward", "block_zero_branch_identity")),
    SpecRule(quote="**Pre-norm**: the LayerNorm is applied to the input of the branch, not to the sum.",
             checks=("block_forward", "block_zero_branch_identity")),
    SpecRule(quote="The activation is ReLU.", checks=("block_forward",)),
    SpecRule(quote="Dropout is applied to the **branch only**, before the residual add. The skip path carries `x` unchanged.",
             checks=("block_full_dropout_identity", "block_train_matches_reference")),
    SpecRule(quote="The input tensor must not be modified (no in-place `x += ...`: it also breaks `backward()`).",
             checks=("block_forward", "mlp_input_contract", "mlp_gradients", "mlp_deep_gradients")),
    # ResidualMLP
    SpecRule(quote="forward(x) = output_layer(norm(blocks(input_layer(x))))", checks=("mlp_forward",)),
    SpecRule(quote="`depth` **distinct** `ResidualBlock(hidden_features, dropout)`, registered submodules, indexable "
                   "(`nn.Sequential` or `nn.ModuleList`)",
             checks=("mlp_blocks_indexable", "mlp_parameter_count", "mlp_state_dict")),
    SpecRule(quote="`depth = 0` is allowed: then `forward(x) = output_layer(norm(input_layer(x)))`.",
             checks=("mlp_depth_zero",)),
    SpecRule(quote="Inputs of shape `[N, in_features]` and `[N, S, in_features]` must both work.",
             checks=("mlp_forward_sequence",)),
    SpecRule(quote="Any input works: a view (a transposed or sliced, non-contiguous tensor) as well as a contiguous "
                   "tensor, with or without `requires_grad=True`. The input is left as it was: same values, shape "
                   "and dtype, and no `.grad`.",
             checks=("mlp_input_contract",)),
    SpecRule(quote="The model must work with `.to(torch.float64)`, `.to(device)`, `.train()` / `.eval()` like any "
                   "`nn.Module`.",
             checks=("mlp_float64", "mlp_eval_deterministic", "mlp_train_p0_equals_eval")),
    SpecRule(quote="After `.to(torch.float64)` it computes in float64 and is held to float64 accuracy (no step in "
                   "float32).",
             checks=("mlp_float64",)),
    # Signatures: the default dropout is 0
    SpecRule(quote="`ResidualBlock(dim, dropout=0.0)`", checks=("mlp_train_p0_equals_eval", "block_validation")),
    SpecRule(quote="`ResidualMLP(in_features, hidden_features, out_features, depth, dropout=0.0)`",
             checks=("mlp_train_p0_equals_eval", "mlp_validation")),
    # Rules
    SpecRule(quote="Raise `ValueError` if `dim`, `in_features`, `hidden_features` or `out_features` is `< 1`, if "
                   "`depth < 0`, or if `dropout` is not in `[0, 1]` (both ends allowed; `float('nan')` is not in "
                   "`[0, 1]`).",
             checks=("block_validation", "mlp_validation")),
    SpecRule(quote="Raise `TypeError` if `dim`, `in_features`, `hidden_features`, `out_features` or `depth` is not "
                   "an `int` (a float such as `2.0` included).",
             checks=("block_validation", "mlp_validation")),
    SpecRule(quote="the grader builds a reference model, copies its weights into yours with `load_state_dict` and "
                   "compares the outputs. So `state_dict()` keys must be exactly",
             checks=("mlp_state_dict", "mlp_forward", "mlp_gradients")),
    SpecRule(quote="Blocks in a plain Python `list` are *not* registered: their parameters are invisible to "
                   "`parameters()`, `state_dict()`, the optimizer and `.to()`. `[ResidualBlock(d)] * depth` repeats "
                   "*one* block.",
             checks=("mlp_parameter_count", "mlp_blocks_indexable", "mlp_deep_gradients", "mlp_float64")),
    SpecRule(quote="Dropout is only active in training mode (`model.train()`); in `model.eval()` the model is "
                   "deterministic.",
             checks=("mlp_eval_deterministic", "mlp_train_stochastic", "mlp_train_p0_equals_eval")),
    SpecRule(quote="With `dropout=1.0` in training mode, every block is the identity.",
             checks=("block_full_dropout_identity",)),
    SpecRule(quote="There is exactly one dropout per block, the block's `dropout` module on the branch",
             checks=("block_train_matches_reference", "mlp_train_matches_reference")),
    SpecRule(quote="and no other dropout anywhere in the model. The grader compares training-mode outputs with the "
                   "reference's under the same random seed.",
             checks=("mlp_train_matches_reference",)),
]
