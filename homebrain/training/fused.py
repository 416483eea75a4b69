"""The same network rewritten for export: every member and both GRU directions in one pass.

litert-torch unrolls ``nn.GRU`` into about forty small ops per time step, one
unrolled copy per direction and per ensemble member, so the exported graph of
a five-member ensemble held some 6,400 ops and the device spent its time
dispatching them, not doing arithmetic (1.4 ms a sentence against 0.67 ms for
three members). ``FusedNetwork`` computes exactly what ``IntentModel`` /
``IntentEnsemble`` compute, but stacks the members' weights and runs them as
groups of batched matrix products: one embedding gather for all members, one
input projection for every time step at once, and per time step a single
batched recurrent product shared by all ``2 × members`` GRUs. The op count no
longer grows with the number of members.

Only export uses it (``export.convert_float``); the export's parity check
compares the converted graph against the original PyTorch network, so any
difference between the two forms would fail the export.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional

from homebrain.training.model import NEG, IntentEnsemble, IntentModel, Network


def _members(model: Network) -> list[IntentModel]:
    return list(model.members) if isinstance(model, IntentEnsemble) else [model]


def can_fuse(model: Network) -> bool:
    """Members must share their widths to be stacked (training always makes them so)."""
    shapes = {
        (m.dim, m.hidden, m.context_dim, m.vision_dim, m.embed_norm.eps) for m in _members(model)
    }
    return len(shapes) == 1


def _stack(tensors: list[torch.Tensor]) -> nn.Parameter:
    return nn.Parameter(torch.stack([t.detach().clone() for t in tensors]), requires_grad=False)


def _stack_linear(layers: list[nn.Module]) -> tuple[nn.Parameter, nn.Parameter]:
    """Members' ``nn.Linear`` layers as batched-matmul operands (weights transposed)."""
    linear = [layer for layer in layers if isinstance(layer, nn.Linear)]
    if len(linear) != len(layers):
        raise ValueError("only nn.Linear layers can be stacked")
    weight = _stack([layer.weight.t() for layer in linear])
    return weight, _stack([layer.bias.unsqueeze(0) for layer in linear])


class FusedNetwork(nn.Module):
    """``probabilities`` equal to the source network's, computed group-wise (see module doc)."""

    def __init__(self, model: Network) -> None:
        super().__init__()
        if not can_fuse(model):
            raise ValueError("ensemble members of different widths cannot be fused")
        members = _members(model)
        first = members[0]
        self.count = len(members)
        self.dim = first.dim
        self.hidden = first.hidden
        self.eps = first.embed_norm.eps
        # one table, members side by side: a single gather serves them all
        self.embed = nn.Parameter(
            torch.cat([m.embed.weight.detach() for m in members], dim=1).clone(),
            requires_grad=False,
        )
        self.norm_weight = _stack([m.embed_norm.weight for m in members])  # [M, D]
        self.norm_bias = _stack([m.embed_norm.bias for m in members])
        # GRU groups: members' forward GRUs, then their backward GRUs
        grus = [m.gru_fwd for m in members] + [m.gru_bwd for m in members]
        self.w_ih = _stack([g.get_parameter("weight_ih_l0").t() for g in grus])  # [G, D, 3H]
        self.b_ih = _stack([g.get_parameter("bias_ih_l0").unsqueeze(0) for g in grus])  # [G, 1, 3H]
        self.w_hh = _stack([g.get_parameter("weight_hh_l0").t() for g in grus])  # [G, H, 3H]
        self.b_hh = _stack([g.get_parameter("bias_hh_l0").unsqueeze(0) for g in grus])
        # heads, one group per member: [M, in, out] weights and [M, 1, out] biases
        self.side_w, self.side_b = _stack_linear([m.side_to_tokens for m in members])
        self.tag_w1, self.tag_b1 = _stack_linear([m.tag_head[0] for m in members])
        self.tag_w2, self.tag_b2 = _stack_linear([m.tag_head[2] for m in members])
        self.intent_w1, self.intent_b1 = _stack_linear([m.intent_head[0] for m in members])
        self.intent_w2, self.intent_b2 = _stack_linear([m.intent_head[3] for m in members])

    def _grouped(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        """``x`` [G, B, L, I] @ ``weight`` [G, I, O] + ``bias`` [G, 1, O] → [G, B, L, O]."""
        g, b, length, width = x.shape
        out = torch.bmm(x.reshape(g, b * length, width), weight) + bias
        return out.reshape(g, b, length, weight.shape[-1])

    def probabilities(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        m, d, hid = self.count, self.dim, self.hidden
        ids = token_ids.to(torch.int32)
        batch, length = ids.shape[0], ids.shape[1]
        mask = (ids[:, :, 0] > 0).to(torch.float32)  # [B, L]
        # F.embedding, not indexing: the quantizer only gives a GATHER's table int8
        # weights when it is an embedding lookup (indexing left 2 MB of floats)
        x = functional.embedding(ids, self.embed).sum(dim=2)  # [B, L, M*D]
        x = x.reshape(batch, length, m, d).permute(2, 0, 1, 3)  # [M, B, L, D]
        mean = x.mean(dim=-1, keepdim=True)
        var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + self.eps)
        x = x * self.norm_weight.reshape(m, 1, 1, d) + self.norm_bias.reshape(m, 1, 1, d)
        x = x * mask.unsqueeze(-1)

        lengths = mask.sum(dim=1, keepdim=True)  # [B, 1]
        steps = torch.arange(length, dtype=torch.float32).unsqueeze(0)
        source = torch.where(steps < lengths, lengths - 1.0 - steps, steps)
        flip = (source.unsqueeze(-1) == steps.unsqueeze(1)).to(torch.float32)  # [B, L, L]
        flipped = torch.matmul(flip.unsqueeze(0), x)  # [M, B, L, D]

        gates_in = self._grouped(torch.cat([x, flipped], dim=0), self.w_ih, self.b_ih)
        h = torch.zeros((2 * m, batch, hid), dtype=torch.float32)
        states = []
        for t in range(length):
            gi = gates_in[:, :, t, :]  # [G, B, 3H]
            gh = torch.bmm(h, self.w_hh) + self.b_hh
            rz = torch.sigmoid(gi[:, :, : 2 * hid] + gh[:, :, : 2 * hid])
            r, z = rz[:, :, :hid], rz[:, :, hid:]
            n = torch.tanh(gi[:, :, 2 * hid :] + r * gh[:, :, 2 * hid :])
            h = n + z * (h - n)  # (1 - z) * n + z * h
            states.append(h)
        out = torch.stack(states, dim=2)  # [G, B, L, H]
        fwd = out[:m]
        bwd = torch.matmul(flip.unsqueeze(0), out[m:])  # the flip is its own inverse
        hs = torch.cat([fwd, bwd], dim=-1) * mask.unsqueeze(-1)  # [M, B, L, 2H]

        has_words = (lengths > 0).to(torch.float32)
        side = torch.cat([context.to(torch.float32), vision.to(torch.float32), has_words], dim=-1)
        sides = side.unsqueeze(0).expand(m, batch, side.shape[-1])  # [M, B, S]
        side_tokens = torch.bmm(sides, self.side_w) + self.side_b  # [M, B, 2H]
        hidden_tags = torch.tanh(
            self._grouped(hs + side_tokens.unsqueeze(2), self.tag_w1, self.tag_b1)
        )
        tag_logits = self._grouped(hidden_tags, self.tag_w2, self.tag_b2)  # [M, B, L, T]

        pooled_mean = hs.sum(dim=2) / torch.clamp(lengths, min=1.0)  # [M, B, 2H]
        masked = hs + (1.0 - mask.unsqueeze(-1)) * NEG
        peak = masked.max(dim=2).values * has_words
        pooled = torch.cat([pooled_mean, peak, sides], dim=-1)  # [M, B, 4H + S]
        hidden_intent = torch.tanh(torch.bmm(pooled, self.intent_w1) + self.intent_b1)
        intent_logits = torch.bmm(hidden_intent, self.intent_w2) + self.intent_b2  # [M, B, N]

        scale = 1.0 / m
        intent = torch.softmax(intent_logits, dim=-1).sum(dim=0) * scale
        tags = torch.softmax(tag_logits, dim=-1).sum(dim=0) * scale
        return intent, tags
