# do-nothing: the unedited stub (every function raises NotImplementedError).
"""Exercise 01 — last-token pooling.

Read README.md in this folder for the full specification.
"""

from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    """Check the inputs of :func:`last_token`.

    Raise ``ValueError`` (with a helpful message) when

    - ``hidden`` is not 3-D ``[B, T, F]``,
    - ``mask.shape`` is not ``hidden.shape[:2]`` (i.e. ``[B, T]``),
    - some row of ``mask`` has no real token (no non-zero entry).

    Return ``None`` when the inputs are fine. Do not modify the inputs and do
    not loop over the batch in Python.
    """
    # TODO(01.1): raise ValueError for a non-3-D hidden, a mask whose shape is not
    # hidden's first two dims, and a mask row without any real token.
    raise NotImplementedError("TODO(01.1): validate hidden's rank, mask's shape and that every row has a real token")


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    """Pool each sequence to the hidden state of its last real token.

    Args:
        hidden: ``[B, T, F]`` floating tensor (any floating dtype, any device).
        mask: ``[B, T]`` bool or integer 0/1 tensor on the same device;
            ``mask[b, t] == 1`` marks a real token, 0 marks padding. Padding may
            be on the right, on the left, or anywhere in between (gaps).

    Returns:
        ``[B, F]`` tensor ``out`` with ``out[b] == hidden[b, t_b]``, where ``t_b``
        is the LAST position with ``mask[b, t_b] != 0``. Same dtype and device
        as ``hidden``; gradients flow to exactly the selected positions.

    Raises:
        ValueError: see :func:`validate_inputs`.

    No Python loop over the batch; do not modify ``hidden`` or ``mask``.
    """
    validate_inputs(hidden, mask)
    # TODO(01.2): find the last position with mask != 0 in every row (vectorised,
    # no loop over B) and gather hidden at those positions -> [B, F].
    raise NotImplementedError("TODO(01.2): select hidden[b, last real position of row b] for every row, without a Python loop over B")
