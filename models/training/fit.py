"""Training loop shared by the deep model and the baselines.

Class imbalance (1-3% positives): each epoch keeps every training positive and a fresh random
sample of negatives (at most NEGATIVES_PER_POSITIVE per positive). That gives every batch
positives to learn from and makes an epoch over ~200k rows cheap. The sampling shifts the
logit by log(negative fraction), a known constant, so the validation loss used for early
stopping is computed on the full validation split after adding it back; Platt scaling later
absorbs it exactly."""
import math
import time
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
import torch
from torch import nn

from metrics import log_loss
from tensors import FeatureSet

NEGATIVES_PER_POSITIVE = 20
# Early stopping scores a fixed sample of the validation split: every positive and this share of
# the negatives, weighted back to the full split (an unbiased estimate of its loss, at a fraction
# of the cost of scoring ~30k rows every epoch).
VALIDATION_NEGATIVE_SHARE = 0.25


@dataclass
class FitOptions:
    """epochs: upper bound; patience: epochs without a better validation loss before stopping;
    batch_size, learning_rate, weight_decay: Adam settings; seed: sampling and batch order."""

    epochs: int = 60
    patience: int = 6
    batch_size: int = 256
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    seed: int = 1
    max_steps: Optional[int] = None  # cap on optimiser steps per epoch (placeholder/smoke runs)


@dataclass
class FitHistory:
    negative_fraction: float
    epochs_run: int = 0
    best_epoch: int = 0
    train_loss: List[float] = field(default_factory=list)
    validation_loss: List[float] = field(default_factory=list)
    seconds: float = 0.0


def batch(data: FeatureSet, rows: np.ndarray):
    """Tensors for `rows`, in the order given (callers sort them: sorted reads are much faster
    on a memory-mapped file)."""
    return (
        torch.from_numpy(np.ascontiguousarray(data.sequence[rows])),
        torch.from_numpy(np.ascontiguousarray(data.static[rows])),
        torch.from_numpy(data.labels[rows].astype(np.float32)),
    )


def predict_logits(model: nn.Module, data: FeatureSet, rows: np.ndarray, batch_size: int = 2048) -> np.ndarray:
    model.eval()
    outputs = []
    with torch.no_grad():
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            order = np.argsort(chunk, kind="stable")
            sequence, static, _ = batch(data, chunk[order])
            logits = np.empty(chunk.size, dtype=np.float32)
            logits[order] = model(sequence, static).numpy()
            outputs.append(logits)
    return np.concatenate(outputs) if outputs else np.zeros(0, dtype=np.float32)


def _epoch_rows(data: FeatureSet, train: np.ndarray, fraction: float, rng: np.random.Generator) -> np.ndarray:
    labels = data.labels[train]
    positives = train[labels > 0.5]
    negatives = train[labels <= 0.5]
    kept = negatives[rng.random(negatives.size) < fraction] if fraction < 1 else negatives
    rows = np.concatenate([positives, kept])
    rng.shuffle(rows)
    return rows


def _validation_sample(data: FeatureSet, validation: np.ndarray, rng: np.random.Generator):
    negative = data.labels[validation] <= 0.5
    keep = ~negative | (rng.random(validation.size) < VALIDATION_NEGATIVE_SHARE)
    rows = validation[keep]
    weights = np.where(negative[keep], 1.0 / VALIDATION_NEGATIVE_SHARE, 1.0)
    return rows, weights


def fit(model: nn.Module, data: FeatureSet, train: np.ndarray, validation: np.ndarray, options: FitOptions, log=print) -> FitHistory:
    """Trains in place, restores the weights of the epoch with the lowest validation loss."""
    torch.manual_seed(options.seed)
    rng = np.random.default_rng(options.seed)
    positives = int((data.labels[train] > 0.5).sum())
    negatives = train.size - positives
    fraction = min(1.0, NEGATIVES_PER_POSITIVE * max(positives, 1) / max(negatives, 1))
    history = FitHistory(negative_fraction=fraction)
    offset = math.log(fraction)
    optimizer = torch.optim.Adam(model.parameters(), lr=options.learning_rate, weight_decay=options.weight_decay)
    loss_fn = nn.BCEWithLogitsLoss()
    best_loss, best_state = math.inf, None
    validation_rows, validation_weights = _validation_sample(data, validation, rng)
    started = time.time()
    for epoch in range(1, options.epochs + 1):
        model.train()
        rows = _epoch_rows(data, train, fraction, rng)
        total, count = 0.0, 0
        for step, start in enumerate(range(0, rows.size, options.batch_size)):
            if options.max_steps is not None and step >= options.max_steps:
                break
            sequence, static, labels = batch(data, np.sort(rows[start : start + options.batch_size]))
            optimizer.zero_grad()
            loss = loss_fn(model(sequence, static), labels)
            loss.backward()
            optimizer.step()
            total += float(loss) * labels.numel()
            count += labels.numel()
        logits = predict_logits(model, data, validation_rows) + offset
        val_loss = log_loss(data.labels[validation_rows], 1.0 / (1.0 + np.exp(-logits)), validation_weights)
        history.train_loss.append(total / max(count, 1))
        history.validation_loss.append(val_loss)
        history.epochs_run = epoch
        log(f"  epoch {epoch}: train loss {history.train_loss[-1]:.4f}, validation loss {val_loss:.5f} ({time.time() - started:.0f} s)")
        if val_loss < best_loss - 1e-6:
            best_loss, history.best_epoch = val_loss, epoch
            best_state = {key: value.clone() for key, value in model.state_dict().items()}
        elif epoch - history.best_epoch >= options.patience:
            log(f"  early stop: no better validation loss since epoch {history.best_epoch}")
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    history.seconds = time.time() - started
    return history
