"""Training the intent model (off the device; needs the `train` extra for torch).

``train(examples, val_examples, ...)`` encodes the examples with the very
featurisation the device uses (homebrain.understanding.model_runtime), trains
with AdamW, keeps the weights of the epoch with the lowest validation loss and
stops when it has not improved for ``patience`` epochs. A seed fixes the
initial weights, the data order and dropout, so the same call on the same
machine gives the same model. Progress bars are rich's.
"""

from __future__ import annotations

import copy
import logging
import math
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from homebrain.training.examples import Example
from homebrain.training.model import IntentEnsemble, IntentModel, Network, build_network
from homebrain.understanding import labels
from homebrain.understanding.gazetteer import generic_phrases, training_marks
from homebrain.understanding.model_runtime import encode_context, encode_vision
from homebrain.understanding.tokenizer import (
    FEATURES_PER_TOKEN,
    GAZETTEER_FEATURES,
    WORD_CLASS_FEATURES,
    Tokenizer,
)
from homebrain.understanding.vocabulary import DEVICE_WORDS

log = logging.getLogger(__name__)

DEFAULT_BUCKETS = 8192
DEFAULT_DIM = 48
DEFAULT_HIDDEN = 64  # per GRU direction: wider than dim // 2 generalised better (BENCHMARKS)
DEFAULT_MAX_LEN = 32
IGNORE = -100  # tag target of padding positions


@dataclass
class EncodedSet:
    """Examples as arrays: what the model reads (numpy, device independent)."""

    token_ids: np.ndarray  # int32 [N, L, F]
    context: np.ndarray  # float32 [N, C]
    vision: np.ndarray  # float32 [N, V]
    intents: np.ndarray  # int64 [N]
    tags: np.ndarray  # int64 [N, L], IGNORE at padding
    lengths: np.ndarray  # int64 [N], words the model sees (after cutting at max_len)

    def __len__(self) -> int:
        return int(self.token_ids.shape[0])


_GENERIC = generic_phrases(DEVICE_WORDS)  # once, not per example


def example_marks(example: Example, position: int) -> list[str]:
    """The gazetteer marks ``encode_examples`` gives the example at ``position``."""
    scene = example.intent == "activate_scene"
    return training_marks(example.tokens, example.tags, random.Random(position), _GENERIC, scene)


def encode_examples(
    examples: Sequence[Example],
    tokenizer: Tokenizer,
    max_len: int,
    intents: Sequence[str],
    tags: Sequence[str],
) -> EncodedSet:
    """Encode examples; an intent or tag outside the given lists is a ValueError.

    With a gazetteer tokenizer each example's marks come from its own tagged
    names (``gazetteer.training_marks``), drawn from a generator seeded by the
    example's position so an encoding is the same every time.
    """
    intent_index = {name: i for i, name in enumerate(intents)}
    tag_index = {name: i for i, name in enumerate(tags)}
    n = len(examples)
    ids = np.zeros((n, max_len, tokenizer.features_per_token), dtype=np.int32)
    ctx = np.zeros((n, labels.CONTEXT_DIM), dtype=np.float32)
    vis = np.zeros((n, labels.VISION_DIM), dtype=np.float32)
    y_intent = np.zeros(n, dtype=np.int64)
    y_tags = np.full((n, max_len), IGNORE, dtype=np.int64)
    lengths = np.zeros(n, dtype=np.int64)
    for i, ex in enumerate(examples):
        if ex.intent not in intent_index:
            raise ValueError(f"example {ex.text or ex.tokens!r}: unknown intent {ex.intent!r}")
        unknown = [t for t in ex.tags if t not in tag_index]
        if unknown:
            raise ValueError(f"example {ex.text or ex.tokens!r}: unknown tags {unknown}")
        used = min(len(ex.tokens), max_len)
        marks = example_marks(ex, i) if tokenizer.uses_gazetteer else None
        ids[i] = tokenizer.encode(ex.tokens, max_len, marks)
        ctx[i] = encode_context(ex.context)
        vis[i] = encode_vision(ex.vision)
        y_intent[i] = intent_index[ex.intent]
        y_tags[i, :used] = [tag_index[t] for t in ex.tags[:used]]
        lengths[i] = used
    return EncodedSet(ids, ctx, vis, y_intent, y_tags, lengths)


@dataclass
class EpochStats:
    epoch: int
    train_loss: float
    val_loss: float
    val_intent_accuracy: float
    val_tag_accuracy: float  # over real tokens
    learning_rate: float
    seconds: float


@dataclass
class TrainResult:
    """The trained model (best validation epoch, on the CPU, in eval mode) and how it went."""

    model: Network
    tokenizer: Tokenizer
    max_len: int
    intents: tuple[str, ...]
    slot_types: tuple[str, ...]
    tags: tuple[str, ...]
    history: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    seconds: float = 0.0
    seed: int = 0
    device: str = "cpu"
    train_examples: int = 0
    val_examples: int = 0

    @property
    def members(self) -> int:
        """How many models are averaged (more than one for an IntentEnsemble)."""
        return len(self.model.members) if isinstance(self.model, IntentEnsemble) else 1

    @property
    def best(self) -> EpochStats:
        return next(s for s in self.history if s.epoch == self.best_epoch)

    @property
    def parameter_count(self) -> int:
        return self.model.parameter_count()

    def summary(self) -> dict[str, Any]:
        best = self.best
        return {
            "parameters": self.parameter_count,
            "epochs_run": len(self.history),
            "best_epoch": self.best_epoch,
            "stopped_early": self.stopped_early,
            "val_loss": round(best.val_loss, 5),
            "val_intent_accuracy": round(best.val_intent_accuracy, 5),
            "val_tag_accuracy": round(best.val_tag_accuracy, 5),
            "seconds": round(self.seconds, 2),
            "seed": self.seed,
            "device": self.device,
            "train_examples": self.train_examples,
            "val_examples": self.val_examples,
            "members": self.members,
        }

    def save(self, path: str | Path) -> None:
        """A torch checkpoint (weights + everything needed to rebuild and export)."""
        torch.save(
            {
                "config": self.model.config(),
                "state_dict": self.model.state_dict(),
                "tokenizer": self.tokenizer.to_json(),
                "max_len": self.max_len,
                "intents": list(self.intents),
                "slot_types": list(self.slot_types),
                "history": [asdict(s) for s in self.history],
                "best_epoch": self.best_epoch,
                "stopped_early": self.stopped_early,
                "seconds": self.seconds,
                "seed": self.seed,
                "device": self.device,
                "train_examples": self.train_examples,
                "val_examples": self.val_examples,
            },
            str(path),
        )

    @classmethod
    def load(cls, path: str | Path) -> TrainResult:
        data = torch.load(str(path), map_location="cpu", weights_only=True)
        model = build_network(data["config"])
        model.load_state_dict(data["state_dict"])
        model.eval()
        slot_types = tuple(data["slot_types"])
        return cls(
            model=model,
            tokenizer=Tokenizer.from_json(data["tokenizer"]),
            max_len=int(data["max_len"]),
            intents=tuple(data["intents"]),
            slot_types=slot_types,
            tags=labels.bio_tags(slot_types),
            history=[EpochStats(**s) for s in data["history"]],
            best_epoch=int(data["best_epoch"]),
            stopped_early=bool(data["stopped_early"]),
            seconds=float(data["seconds"]),
            seed=int(data["seed"]),
            device=str(data["device"]),
            train_examples=int(data["train_examples"]),
            val_examples=int(data["val_examples"]),
        )


def _device(name: str) -> torch.device:
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise ValueError(
                f"--device {name}: this torch ({torch.__version__}) sees no CUDA device; "
                "use --device cpu or install a CUDA build of torch"
            )
        return torch.device(name)
    raise ValueError(f"device must be 'cpu' or 'cuda', got {name!r}")


def _tensors(data: EncodedSet, device: torch.device) -> dict[str, torch.Tensor]:
    return {
        "token_ids": torch.from_numpy(data.token_ids).to(device),
        "context": torch.from_numpy(data.context).to(device),
        "vision": torch.from_numpy(data.vision).to(device),
        "intents": torch.from_numpy(data.intents).to(device),
        "tags": torch.from_numpy(data.tags).to(device),
        "lengths": torch.from_numpy(data.lengths).to(device),
    }


def _batch(t: Mapping[str, torch.Tensor], index: torch.Tensor) -> dict[str, torch.Tensor]:
    """Rows ``index``, cut to the longest sentence among them (masking makes that exact)."""
    width = max(1, int(t["lengths"][index].max().item()))
    return {
        "token_ids": t["token_ids"][index, :width],
        "context": t["context"][index],
        "vision": t["vision"][index],
        "intents": t["intents"][index],
        "tags": t["tags"][index, :width],
    }


POOL_BATCHES = 10  # batches drawn together and sorted by length


def length_batches(
    lengths: torch.Tensor, batch_size: int, generator: torch.Generator
) -> list[torch.Tensor]:
    """One epoch's batches: random, but each of sentences of about the same length.

    A batch is as wide as its longest sentence, so random batches of mostly short
    commands with a few long ones (a reason clause around a command) spend most
    of the GRU's time on padding. Shuffling, sorting pools of ``POOL_BATCHES``
    batches by length, cutting them and shuffling the batches keeps the order
    random and the batches narrow; the same generator state gives the same batches.
    """
    order = torch.randperm(len(lengths), generator=generator)
    pool = batch_size * POOL_BATCHES
    batches: list[torch.Tensor] = []
    for start in range(0, len(order), pool):
        chunk = order[start : start + pool]
        chunk = chunk[torch.argsort(lengths[chunk], stable=True)]
        batches.extend(chunk.split(batch_size))
    shuffled = torch.randperm(len(batches), generator=generator).tolist()
    return [batches[i] for i in shuffled]


def _losses(
    model: IntentModel, batch: Mapping[str, torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(loss, intent logits, tag logits, number of real tokens)."""
    intent_logits, tag_logits = model(batch["token_ids"], batch["context"], batch["vision"])
    intent_loss = F.cross_entropy(intent_logits, batch["intents"])
    targets = batch["tags"].reshape(-1)
    real = (targets != IGNORE).sum()
    tag_loss_sum = F.cross_entropy(
        tag_logits.reshape(-1, tag_logits.shape[-1]), targets, ignore_index=IGNORE, reduction="sum"
    )
    tag_loss = tag_loss_sum / real.clamp(min=1)
    return intent_loss + tag_loss, intent_logits, tag_logits, real


@torch.no_grad()
def _evaluate(
    model: IntentModel, t: Mapping[str, torch.Tensor], batch_size: int
) -> tuple[float, float, float]:
    """(loss, intent accuracy, tag accuracy over real tokens)."""
    model.eval()
    n = int(t["intents"].shape[0])
    loss_sum, intent_hits, tag_hits, tokens = 0.0, 0, 0, 0
    for start in range(0, n, batch_size):
        index = torch.arange(start, min(start + batch_size, n), device=t["intents"].device)
        batch = _batch(t, index)
        loss, intent_logits, tag_logits, _ = _losses(model, batch)
        loss_sum += float(loss) * len(index)
        intent_hits += int((intent_logits.argmax(-1) == batch["intents"]).sum())
        real = batch["tags"] != IGNORE
        tag_hits += int(((tag_logits.argmax(-1) == batch["tags"]) & real).sum())
        tokens += int(real.sum())
    return loss_sum / max(n, 1), intent_hits / max(n, 1), tag_hits / max(tokens, 1)


def train(
    examples: Sequence[Example],
    val_examples: Sequence[Example],
    *,
    intents: Sequence[str] = labels.INTENTS,
    slot_types: Sequence[str] = labels.SLOT_TYPES,
    seed: int = 0,
    device: str = "cpu",
    epochs: int = 30,
    batch_size: int = 64,
    patience: int = 4,
    progress: bool = True,
    buckets: int = DEFAULT_BUCKETS,
    max_len: int = DEFAULT_MAX_LEN,
    dim: int = DEFAULT_DIM,
    hidden: int | None = DEFAULT_HIDDEN,
    learning_rate: float = 3e-3,
    weight_decay: float = 1e-5,
    dropout: float = 0.1,
    feature_dropout: float = 0.1,
    min_delta: float = 1e-4,
    gazetteer: bool = True,
    word_classes: bool = True,
    console: Console | None = None,
) -> TrainResult:
    """Train an IntentModel; early stopping on validation loss, best weights kept.

    ``intents``/``slot_types`` are the label lists the model will carry
    (built-ins plus custom ones); every example must use only these. Runs are
    reproducible for a given ``seed`` on the same machine and device.
    """
    if not examples:
        raise ValueError("no training examples")
    if not val_examples:
        raise ValueError("no validation examples: early stopping needs a validation split")
    if epochs < 1 or batch_size < 1 or patience < 1:
        raise ValueError("epochs, batch_size and patience must be at least 1")
    started = time.perf_counter()
    dev = _device(device)
    intents = tuple(intents)
    slot_types = tuple(slot_types)
    tags = labels.bio_tags(slot_types)
    if word_classes and not gazetteer:
        raise ValueError("word classes come with the gazetteer feature: set gazetteer too")
    features = FEATURES_PER_TOKEN
    if gazetteer:
        features = WORD_CLASS_FEATURES if word_classes else GAZETTEER_FEATURES
    tokenizer = Tokenizer(buckets, features)

    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)
    if dev.type == "cuda":
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    order_rng = torch.Generator().manual_seed(seed)

    train_set = _tensors(encode_examples(examples, tokenizer, max_len, intents, tags), dev)
    val_set = _tensors(encode_examples(val_examples, tokenizer, max_len, intents, tags), dev)

    model = IntentModel(
        buckets=buckets,
        features=tokenizer.features_per_token,
        max_len=max_len,
        n_intents=len(intents),
        n_tags=len(tags),
        context_dim=labels.CONTEXT_DIM,
        vision_dim=labels.VISION_DIM,
        dim=dim,
        hidden=hidden,
        dropout=dropout,
        feature_dropout=feature_dropout,
    ).to(dev)
    optimiser = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimiser, factor=0.5, patience=1)

    n = len(examples)
    n_batches = math.ceil(n / batch_size)
    history: list[EpochStats] = []
    best_loss = math.inf
    best_state: dict[str, torch.Tensor] = copy.deepcopy(model.state_dict())
    best_epoch = 0
    stale = 0
    stopped_early = False
    log.info(
        "training %d parameters on %d examples (%d validation) on %s",
        model.parameter_count(),
        n,
        len(val_examples),
        dev,
    )
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, disable=not progress, transient=False) as bars:
        epoch_bar = bars.add_task("epochs", total=epochs, status="")
        batch_bar = bars.add_task("batches", total=n_batches, status="")
        for epoch in range(1, epochs + 1):
            epoch_started = time.perf_counter()
            model.train()
            batches = length_batches(train_set["lengths"].cpu(), batch_size, order_rng)
            bars.reset(batch_bar, total=n_batches, status="")
            loss_sum = 0.0
            for index in batches:
                batch = _batch(train_set, index.to(dev))
                loss, _, _, _ = _losses(model, batch)
                optimiser.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimiser.step()
                value = loss.detach().item()
                loss_sum += value * int(batch["intents"].shape[0])
                bars.update(batch_bar, advance=1, status=f"loss {value:.4f}")
            val_loss, intent_acc, tag_acc = _evaluate(model, val_set, max(batch_size, 256))
            scheduler.step(val_loss)
            stats = EpochStats(
                epoch=epoch,
                train_loss=loss_sum / n,
                val_loss=val_loss,
                val_intent_accuracy=intent_acc,
                val_tag_accuracy=tag_acc,
                learning_rate=float(optimiser.param_groups[0]["lr"]),
                seconds=time.perf_counter() - epoch_started,
            )
            history.append(stats)
            if val_loss < best_loss - min_delta:
                best_loss, best_epoch, stale = val_loss, epoch, 0
                best_state = copy.deepcopy(model.state_dict())
            else:
                stale += 1
            status = (
                f"val loss {val_loss:.4f} intent {intent_acc:.3f} tags {tag_acc:.3f}"
                f" (best epoch {best_epoch})"
            )
            bars.update(epoch_bar, advance=1, status=status)
            log.info("epoch %d: train loss %.4f, %s", epoch, stats.train_loss, status)
            if stale >= patience:
                stopped_early = epoch < epochs
                log.info("no improvement for %d epochs: stopping", patience)
                break

    model.load_state_dict(best_state)
    model.to("cpu").eval()
    return TrainResult(
        model=model,
        tokenizer=tokenizer,
        max_len=max_len,
        intents=intents,
        slot_types=slot_types,
        tags=tags,
        history=history,
        best_epoch=best_epoch,
        stopped_early=stopped_early,
        seconds=time.perf_counter() - started,
        seed=seed,
        device=str(dev),
        train_examples=n,
        val_examples=len(val_examples),
    )


@torch.no_grad()
def predict_arrays(
    model: Network, data: EncodedSet, batch_size: int = 256
) -> tuple[np.ndarray, np.ndarray]:
    """Torch reference outputs on the CPU: (intent_probs [N, I], tag_probs [N, L, T])."""
    model.eval()
    intent_out, tag_out = [], []
    for start in range(0, len(data), batch_size):
        sl = slice(start, start + batch_size)
        intent_probs, tag_probs = model.probabilities(
            torch.from_numpy(data.token_ids[sl]),
            torch.from_numpy(data.context[sl]),
            torch.from_numpy(data.vision[sl]),
        )
        intent_out.append(intent_probs.numpy())
        tag_out.append(tag_probs.numpy())
    return np.concatenate(intent_out), np.concatenate(tag_out)


def combine(results: Sequence[TrainResult]) -> TrainResult:
    """One result whose model is the ensemble of ``results``' models (the first's history).

    The members must share the tokenizer, ``max_len`` and label lists: they
    read the same inputs and their probabilities are averaged position by position.
    """
    if not results:
        raise ValueError("nothing to combine")
    first = results[0]
    if len(results) == 1:
        return first
    for other in results[1:]:
        same = (
            other.tokenizer.to_json() == first.tokenizer.to_json()
            and other.max_len == first.max_len
            and other.intents == first.intents
            and other.tags == first.tags
        )
        if not same:
            raise ValueError("ensemble members must share the tokenizer, max_len, intents and tags")
    members: list[IntentModel] = []
    for r in results:
        if not isinstance(r.model, IntentModel):
            raise ValueError("ensemble members must be single models")
        members.append(r.model)
    return replace(
        first,
        model=IntentEnsemble(members).eval(),
        seconds=sum(r.seconds for r in results),
        train_examples=sum(r.train_examples for r in results),
    )
