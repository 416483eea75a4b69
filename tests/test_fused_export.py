"""The export's fused form of a network: the same probabilities in a graph that does not grow.

Needs the `train` extra. ``FusedNetwork`` restacks an ensemble's members (and
both GRU directions) into batched products so the exported graph's op count is
that of one model; these tests hold it to the original network's numbers on
random weights, ragged lengths and empty rows, and check what litert-torch
makes of it.
"""

from __future__ import annotations

import collections

import pytest
import torch

from homebrain.training.export import convert_float
from homebrain.training.fused import FusedNetwork, can_fuse
from homebrain.training.model import IntentEnsemble, IntentModel, Network
from homebrain.understanding import labels


def _model(seed: int, dim: int = 16, hidden: int = 12) -> IntentModel:
    torch.manual_seed(seed)
    model = IntentModel(
        buckets=256, features=4, max_len=10, n_intents=7, n_tags=5,
        context_dim=labels.CONTEXT_DIM, vision_dim=labels.VISION_DIM, dim=dim, hidden=hidden,
    )  # fmt: skip
    for parameter in model.parameters():  # untrained biases are zeros: make every term count
        torch.nn.init.normal_(parameter, std=0.4)
    return model.eval()


def _inputs(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, 256, (6, 10, 4), generator=generator, dtype=torch.int32)
    for row, length in enumerate((10, 7, 3, 1, 0, 5)):
        ids[row, length:] = 0  # ragged lengths, row 4 with no words at all
    ids[5, 2:5, 1:] = 0  # single features missing inside a sentence, as the tokenizer leaves
    context = torch.rand((6, labels.CONTEXT_DIM), generator=generator)
    vision = torch.rand((6, labels.VISION_DIM), generator=generator)
    return ids, context, vision


@pytest.mark.parametrize("members", [1, 3])
def test_fused_form_gives_the_networks_probabilities(members: int) -> None:
    network: Network = (
        _model(1) if members == 1 else IntentEnsemble([_model(s) for s in range(members)])
    )
    fused = FusedNetwork(network)
    with torch.no_grad():
        for seed in (5, 6):
            inputs = _inputs(seed)
            want_intents, want_tags = network.probabilities(*inputs)
            intents, tags = fused.probabilities(*inputs)
            assert torch.allclose(intents, want_intents, atol=1e-5)
            assert torch.allclose(tags, want_tags, atol=1e-5)
    # a member's change reaches the fused form only through a new FusedNetwork: it copies
    with torch.no_grad():
        first = network.members[0] if isinstance(network, IntentEnsemble) else network
        first.gru_fwd.get_parameter("weight_hh_l0").add_(0.5)
        assert not torch.allclose(network.probabilities(*inputs)[1], tags, atol=1e-3)
        assert torch.allclose(fused.probabilities(*inputs)[1], tags)


def test_members_of_different_widths_are_exported_unfused() -> None:
    mixed = IntentEnsemble([_model(1), _model(2, dim=24, hidden=8)])
    assert not can_fuse(mixed) and can_fuse(IntentEnsemble([_model(1), _model(2)]))
    with pytest.raises(ValueError, match="different widths"):
        FusedNetwork(mixed)


def _op_count(model_bytes: bytes) -> collections.Counter[str]:
    from ai_edge_litert.interpreter import Interpreter

    interpreter = Interpreter(model_content=model_bytes)
    return collections.Counter(op["op_name"] for op in interpreter._get_ops_details())


def test_the_fused_graph_does_not_grow_with_the_members() -> None:
    one = _op_count(convert_float(_model(1)))
    three = IntentEnsemble([_model(s) for s in range(3)])
    fused = _op_count(convert_float(three))
    unfused = _op_count(convert_float(three, fused=False))
    assert sum(fused.values()) <= 1.2 * sum(one.values())
    assert sum(unfused.values()) >= 2.5 * sum(one.values())
