"""Platt scaling: fits risk = sigmoid(slope * logit + intercept) to held-out labels."""
import numpy as np


def fit_platt(logits: np.ndarray, labels: np.ndarray, iterations: int = 50) -> tuple:
    """Newton's method on the logistic log-likelihood (two parameters, convex). A tiny ridge
    keeps it finite when the validation split is perfectly separable or has one class only."""
    z = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    design = np.stack([z, np.ones_like(z)], axis=1)
    ridge = 1e-6 * max(len(z), 1)
    params = np.array([1.0, 0.0])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ params)))
        gradient = design.T @ (p - y) + ridge * params
        weights = p * (1 - p)
        hessian = design.T @ (design * weights[:, None]) + ridge * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        params = params - step
        if np.max(np.abs(step)) < 1e-10:
            break
    return float(params[0]), float(params[1])
