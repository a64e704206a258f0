"""The three exported models. All take the same inputs (sequence [B, C, W], static [B, S]) and
return a raw logit [B], so one ONNX inference path runs any of them; CalibratedRisk wraps one
with its Platt scaling and the sigmoid, which is what gets exported."""
from typing import List

import torch
from torch import nn

# The deep model summarises its pooled feature maps over this many equal spans of the history
# (13 spans of 12 weeks: a prodrome of recent knee pain differs from the same visits years ago).
SEGMENTS = 13
# Weeks in the most recent window the aggregated baseline sums separately.
RECENT_WEEKS = 52


class DeepKoaNet(nn.Module):
    """Deep-KOA in spirit: a temporal CNN over the channels x weeks matrix and a dense network over
    the static features, fused by a small dense head.

    Two conv+pool blocks see patterns up to ~3 weeks wide at week resolution and ~2 months
    after pooling; the pooled maps are averaged over spans of the history (where a signal sits
    matters: recent knee pain predicts more than old) and maxed over the whole window (a short
    burst anywhere counts). About 18k weights, under 100 kB as ONNX."""

    def __init__(self, channels: int, static_count: int, weeks: int, width: int = 24, dropout: float = 0.2, segments: int = SEGMENTS):
        super().__init__()
        if weeks % (4 * segments) != 0:
            raise ValueError(f"weeks ({weeks}) must be a multiple of {4 * segments}")
        self.temporal = nn.Sequential(
            nn.Conv1d(channels, width, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool1d(2),
            nn.Conv1d(width, width, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool1d(2),
        )
        self.per_segment = nn.AvgPool1d(weeks // 4 // segments)
        self.static_net = nn.Sequential(nn.Linear(static_count, 16), nn.ReLU())
        self.head = nn.Sequential(
            nn.Linear(width * segments + width + 16, 32),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(32, 1),
        )

    def forward(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        maps = self.temporal(sequence)
        yearly = torch.flatten(self.per_segment(maps), 1)
        peak = torch.amax(maps, dim=2)
        fused = torch.cat([yearly, peak, self.static_net(static)], dim=1)
        return self.head(fused).squeeze(1)


class Standardized(nn.Module):
    """A logistic regression over standardised hand-made features; the mean and scale are
    fixed buffers (set from the training split) so they are part of the exported graph."""

    def __init__(self, feature_count: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(feature_count))
        self.register_buffer("scale", torch.ones(feature_count))
        self.linear = nn.Linear(feature_count, 1)

    def features(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def fit_standardization(self, sequence: torch.Tensor, static: torch.Tensor) -> None:
        with torch.no_grad():
            values = self.features(sequence, static)
            self.mean.copy_(values.mean(0))
            # Constant features (e.g. a channel never seen) keep scale 1 instead of dividing by 0.
            std = values.std(0)
            self.scale.copy_(torch.where(std > 1e-6, std, torch.ones_like(std)))

    def forward(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        values = (self.features(sequence, static) - self.mean) / self.scale
        return self.linear(values).squeeze(1)


class AggregatedLR(Standardized):
    """Per-channel totals over all weeks and over the last 52, plus the static features: what a
    classical model sees when the timeline is flattened."""

    def __init__(self, channels: int, static_count: int):
        super().__init__(2 * channels + static_count)

    def features(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        return torch.cat([sequence.sum(2), sequence[:, :, -RECENT_WEEKS:].sum(2), static], dim=1)


class AgeSexLR(Standardized):
    """Age (linear and squared, since incidence rises faster than linearly) and sex; nothing else."""

    def __init__(self, static_names: List[str]):
        super().__init__(5)
        missing = [name for name in ("age", "sex_female", "sex_male") if name not in static_names]
        if missing:
            raise ValueError(f"static features lack {missing}; got {static_names}")
        self.age = static_names.index("age")
        self.female = static_names.index("sex_female")
        self.male = static_names.index("sex_male")

    def features(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        age = static[:, self.age : self.age + 1]
        female = static[:, self.female : self.female + 1]
        male = static[:, self.male : self.male + 1]
        return torch.cat([age, age * age, female, male, age * female], dim=1)


class CalibratedRisk(nn.Module):
    """risk = sigmoid(slope * logit + intercept): Platt scaling fitted on the validation split."""

    def __init__(self, model: nn.Module, slope: float, intercept: float):
        super().__init__()
        self.model = model
        self.register_buffer("slope", torch.tensor(float(slope)))
        self.register_buffer("intercept", torch.tensor(float(intercept)))

    def forward(self, sequence: torch.Tensor, static: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.slope * self.model(sequence, static) + self.intercept)
