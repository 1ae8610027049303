"""The plain-data codec: round trips exactly, and refuses anything that could run code."""

from __future__ import annotations

import math
import pickle

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader import wire

DTYPES = [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int64, torch.int32,
          torch.uint8, torch.bool, torch.complex64]


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_tensors_round_trip_bit_for_bit(dtype):
    t = (torch.randn(3, 4) * 100).to(dtype)
    back = wire.decode(wire.encode(t))
    assert type(back) is torch.Tensor and back.dtype == dtype and back.shape == t.shape
    assert torch.equal(back, t)


def test_views_empty_and_scalar_tensors():
    base = torch.arange(12.0).reshape(3, 4)
    for t in (base.t(), base[:, 1], torch.empty(0, 5), torch.tensor(7.5), base.conj(), -base):
        back = wire.decode(wire.encode(t))
        assert back.shape == t.shape and torch.equal(back, t.resolve_neg())


def test_tensor_metadata_is_not_carried():
    t = torch.ones(2, requires_grad=True) * 3
    back = wire.decode(wire.encode(t))
    assert not back.requires_grad and back.grad_fn is None and back.device.type == "cpu"


def test_subclasses_arrive_as_plain_tensors():
    class Liar(torch.Tensor):
        def __eq__(self, other):
            return True

    t = torch.zeros(3).as_subclass(Liar)
    back = wire.decode(wire.encode(t))
    assert type(back) is torch.Tensor
    assert not torch.equal(back, torch.ones(3))


plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(plain)
def test_plain_data_round_trips(value):
    assert wire.decode(wire.encode(value)) == value


def test_non_finite_floats():
    back = wire.decode(wire.encode([math.inf, -math.inf, math.nan]))
    assert back[0] == math.inf and back[1] == -math.inf and math.isnan(back[2])


@pytest.mark.parametrize("value", [object(), {1: 2}, {"f": lambda: 0}, {1, 2}, torch.nn.Linear(2, 2)])
def test_other_objects_are_refused(value):
    with pytest.raises(wire.WireError):
        wire.encode(value)


def test_pickles_and_malformed_messages_are_refused():
    for message in (pickle.dumps([1, 2]), b"GRW1\x05\x00\x00\x00{bad}", wire.encode([1])[:-1] + b"]x",
                    b"GRW1\x20\x00\x00\x00" + b'{"v":{"$t":"tensor","dtype":"float32","shape":[4],"blob":0},"blobs":[3]}'[:32]):
        with pytest.raises(wire.WireError):
            wire.decode(message)


def test_tensor_data_must_match_its_shape():
    msg = wire.encode(torch.zeros(4))
    tampered = msg.replace(b'"shape":[4]', b'"shape":[5]')
    with pytest.raises(wire.WireError):
        wire.decode(tampered)


def test_unknown_dtypes_are_refused():
    msg = wire.encode(torch.zeros(2)).replace(b'"float32"', b'"object!"')
    with pytest.raises(wire.WireError):
        wire.decode(msg)
