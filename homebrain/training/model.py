"""The multimodal intent model (PyTorch side; the device runs its LiteRT export).

Words, the dialogue context and the camera's vision vector go in; per-token
slot tags, the intent and a confidence come out::

    token ids [B, L, F] ─► Σ hashed-feature embeddings ─► masked BiGRU ─► states [B, L, 2H]
    states + proj(context ⊕ vision ⊕ has_words) ─► tag MLP ─► tag logits [B, L, T]
    masked mean ⊕ masked max of states ⊕ context ⊕ vision ⊕ has_words
                                                ─► intent MLP ─► intent logits [B, N]

Masking is exact: the backward GRU reads each sentence reversed *within its
own length* (a per-example permutation done with a one-hot batch matmul,
which converts cleanly to LiteRT), so padding never reaches a real token's
state and a sentence gets the same outputs whatever ``max_len`` is. With no
words at all the pooled vector is zero and the intent comes from context and
vision alone (a thumbs-up while a confirmation is pending → affirm).

Everything here is plain torch ops that litert-torch converts (embedding
gather, GRU, batch matmul, reductions, linear layers); ``ExportWrapper`` adds
the softmaxes and the confidence output so the device does no maths of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import torch
from torch import nn

NEG = -1.0e4  # "minus infinity" for masked max that stays finite in float16/int8 pipelines


class IntentModel(nn.Module):
    """Hashed-feature BiGRU tagger + intent classifier over words, context and vision.

    ``buckets`` must equal the tokenizer's bucket count; ``features`` its
    features per token. ``dim`` is the embedding width, ``hidden`` each GRU
    direction's width (``dim // 2`` unless given; training's default is 64).
    The hashed embedding (``buckets × dim``) holds most of the parameters:
    8192 × 48 = 393 K of the shipped model's 482 K.
    ``feature_dropout`` drops single hashed features of real tokens while
    training, so the model learns to lean on prefix/suffix/shape features too
    and copes with names it never saw.
    """

    def __init__(
        self,
        buckets: int,
        features: int = 4,
        max_len: int = 32,
        n_intents: int = 27,
        n_tags: int = 21,
        context_dim: int = 0,
        vision_dim: int = 0,
        dim: int = 48,
        hidden: int | None = None,
        dropout: float = 0.1,
        feature_dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if buckets < 2 or features < 1 or max_len < 1 or n_intents < 1 or n_tags < 1:
            raise ValueError("buckets, features, max_len, n_intents and n_tags must be positive")
        self.buckets = buckets
        self.features = features
        self.max_len = max_len
        self.n_intents = n_intents
        self.n_tags = n_tags
        self.context_dim = context_dim
        self.vision_dim = vision_dim
        self.dim = dim
        self.hidden = hidden or max(dim // 2, 8)
        self.feature_dropout = feature_dropout

        h2 = 2 * self.hidden
        side = context_dim + vision_dim + 1  # + "has words" flag
        self.embed = nn.Embedding(buckets, dim, padding_idx=0)
        self.embed_norm = nn.LayerNorm(dim)
        self.gru_fwd = nn.GRU(dim, self.hidden, batch_first=True)
        self.gru_bwd = nn.GRU(dim, self.hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.side_to_tokens = nn.Linear(side, h2)
        self.tag_head = nn.Sequential(nn.Linear(h2, h2), nn.Tanh(), nn.Linear(h2, n_tags))
        self.intent_head = nn.Sequential(
            nn.Linear(2 * h2 + side, dim),
            nn.Tanh(),
            nn.Dropout(dropout),
            nn.Linear(dim, n_intents),
        )
        nn.init.normal_(self.embed.weight, std=0.3)
        with torch.no_grad():
            self.embed.weight[0].zero_()

    def config(self) -> dict[str, Any]:
        """Constructor arguments, to rebuild the same network (checkpoints, export)."""
        return {
            "buckets": self.buckets,
            "features": self.features,
            "max_len": self.max_len,
            "n_intents": self.n_intents,
            "n_tags": self.n_tags,
            "context_dim": self.context_dim,
            "vision_dim": self.vision_dim,
            "dim": self.dim,
            "hidden": self.hidden,
            "feature_dropout": self.feature_dropout,
        }

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``token_ids`` int [B, L, F] (0 = padding), ``context`` [B, C], ``vision`` [B, V].

        Returns ``(intent_logits [B, N], tag_logits [B, L, T])``.
        """
        ids = token_ids.to(torch.int32)
        mask = (ids[:, :, 0] > 0).to(torch.float32)  # [B, L]
        if self.training and self.feature_dropout > 0:
            keep = torch.rand(ids.shape, device=ids.device) >= self.feature_dropout
            ids = ids * keep.to(ids.dtype)
        x = self.embed(ids).sum(dim=2)  # [B, L, D]
        x = self.embed_norm(x) * mask.unsqueeze(-1)
        x = self.drop(x)

        length = mask.sum(dim=1, keepdim=True)  # [B, 1]
        steps = torch.arange(x.shape[1], device=x.device, dtype=torch.float32).unsqueeze(0)
        # position t of the reversed sentence reads position len-1-t; padding stays put
        source = torch.where(steps < length, length - 1.0 - steps, steps)  # [B, L]
        flip = (source.unsqueeze(-1) == steps.unsqueeze(1)).to(torch.float32)  # [B, L, L]

        fwd, _ = self.gru_fwd(x)
        bwd_rev, _ = self.gru_bwd(torch.bmm(flip, x))
        bwd = torch.bmm(flip, bwd_rev)  # the flip is its own inverse
        h = torch.cat([fwd, bwd], dim=-1) * mask.unsqueeze(-1)  # [B, L, 2H]
        h = self.drop(h)

        has_words = (length > 0).to(torch.float32)  # [B, 1]
        side = torch.cat([context.to(torch.float32), vision.to(torch.float32), has_words], dim=-1)

        tag_logits = self.tag_head(h + self.side_to_tokens(side).unsqueeze(1))

        mean = h.sum(dim=1) / torch.clamp(length, min=1.0)
        masked = h + (1.0 - mask.unsqueeze(-1)) * NEG
        peak = masked.max(dim=1).values * has_words  # zero, not -1e4, when there are no words
        intent_logits = self.intent_head(torch.cat([mean, peak, side], dim=-1))
        return intent_logits, tag_logits

    def probabilities(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """``(intent_probs [B, N], tag_probs [B, L, T])``: what export and parity compare."""
        intent_logits, tag_logits = self(token_ids, context, vision)
        return torch.softmax(intent_logits, dim=-1), torch.softmax(tag_logits, dim=-1)


def _input_output_shape(model: IntentModel) -> tuple[int, int, int, int, int]:
    return model.buckets, model.features, model.max_len, model.n_intents, model.n_tags


class IntentEnsemble(nn.Module):
    """Several IntentModels trained apart (own seed, own corpus draw), probabilities averaged.

    Single models trained from different seeds disagree on the hard cases (a
    remark that names a device, a reason clause around a command) by as much
    as most corpus changes move them; averaging their probabilities cancels
    much of that noise. The members run side by side in one exported graph,
    so the device sees the same inputs and outputs as for one model.
    ``forward`` returns log mean probabilities, so softmax of it gives the
    average back and the ensemble drops in wherever a model's logits are read.
    """

    def __init__(self, members: Sequence[IntentModel]) -> None:
        super().__init__()
        if not members:
            raise ValueError("an ensemble needs at least one member")
        shapes = [_input_output_shape(m) for m in members]
        for shape in shapes[1:]:
            if shape != shapes[0]:
                raise ValueError(
                    "ensemble members differ in buckets/features/max_len/intents/tags: "
                    f"{shape} vs {shapes[0]}"
                )
        self.members: list[IntentModel] = nn.ModuleList(members)  # type: ignore[assignment]
        self.buckets, self.features, self.max_len, self.n_intents, self.n_tags = shapes[0]

    def config(self) -> dict[str, Any]:
        return {"members": [m.config() for m in self.members]}

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def probabilities(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        outputs = [m.probabilities(token_ids, context, vision) for m in self.members]
        scale = 1.0 / len(outputs)
        intent = torch.stack([o[0] for o in outputs]).sum(dim=0) * scale
        tags = torch.stack([o[1] for o in outputs]).sum(dim=0) * scale
        return intent, tags

    def forward(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        intent, tags = self.probabilities(token_ids, context, vision)
        tiny = 1e-12
        return torch.log(intent + tiny), torch.log(tags + tiny)


Network = IntentModel | IntentEnsemble


def build_network(config: Mapping[str, Any]) -> Network:
    """An untrained network shaped as ``config`` (a model's or an ensemble's ``config()``)."""
    members = config.get("members")
    if members is not None:
        return IntentEnsemble([IntentModel(**member) for member in members])
    return IntentModel(**config)


OUTPUT_NAMES = ("intent_probs", "tag_probs", "confidence")


class Probabilities(Protocol):
    """What ExportWrapper needs of a network (the training networks and the fused form)."""

    def probabilities(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]: ...


class ExportWrapper(nn.Module):
    """What the device runs: probabilities and a confidence instead of logits.

    Named outputs (they become the LiteRT signature's output names):
    ``intent_probs`` [B, N], ``tag_probs`` [B, L, T] and ``confidence`` [B]
    (the top intent probability).
    """

    def __init__(self, model: Probabilities) -> None:
        super().__init__()
        self.model = model

    def forward(
        self, token_ids: torch.Tensor, context: torch.Tensor, vision: torch.Tensor
    ) -> dict[str, torch.Tensor]:
        intent_probs, tag_probs = self.model.probabilities(token_ids, context, vision)
        return {
            "intent_probs": intent_probs,
            "tag_probs": tag_probs,
            "confidence": intent_probs.max(dim=-1).values,
        }
