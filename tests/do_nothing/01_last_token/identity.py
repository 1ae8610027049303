# do-nothing: validates nothing and returns hidden unchanged.
from torch import Tensor


def validate_inputs(hidden: Tensor, mask: Tensor) -> None:
    pass


def last_token(hidden: Tensor, mask: Tensor) -> Tensor:
    return hidden
