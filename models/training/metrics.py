"""Discrimination and calibration metrics used for early stopping and for the training report.
The full evaluation (confidence intervals, subgroups, matched controls) is `npm run evaluate`."""
import numpy as np


def auroc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Mann-Whitney AUROC with average ranks for ties; NaN when one class is absent."""
    labels = np.asarray(labels) > 0.5
    positives = int(labels.sum())
    negatives = labels.size - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = np.asarray(scores)[order]
    ranks = np.empty(labels.size)
    # Tied scores share the mean of the ranks they span.
    boundaries = np.flatnonzero(np.diff(sorted_scores)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [labels.size]))
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2.0
    return float((ranks[labels].sum() - positives * (positives + 1) / 2.0) / (positives * negatives))


def brier(labels: np.ndarray, probabilities: np.ndarray) -> float:
    return float(np.mean((np.asarray(probabilities) - np.asarray(labels)) ** 2))


def log_loss(labels: np.ndarray, probabilities: np.ndarray, weights=None) -> float:
    """Mean (or weighted mean) binary cross-entropy."""
    p = np.clip(np.asarray(probabilities, dtype=np.float64), 1e-7, 1 - 1e-7)
    y = np.asarray(labels, dtype=np.float64)
    return float(np.average(-(y * np.log(p) + (1 - y) * np.log(1 - p)), weights=weights))


def summarize(labels: np.ndarray, probabilities: np.ndarray) -> dict:
    return {
        "rows": int(np.asarray(labels).size),
        "positive_rate": float(np.mean(labels)) if np.asarray(labels).size else float("nan"),
        "mean_predicted": float(np.mean(probabilities)) if np.asarray(labels).size else float("nan"),
        "auroc": auroc(labels, probabilities),
        "brier": brier(labels, probabilities),
        "log_loss": log_loss(labels, probabilities),
    }
