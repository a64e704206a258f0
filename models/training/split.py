"""Patient-level train/validation/test split. A patient's index dates all land in one split
(rows of one patient are strongly correlated), and the assignment depends only on the
patient id, so it is stable across runs, cohort sizes and machines."""
import hashlib
from dataclasses import dataclass
from typing import List

import numpy as np

# Percent buckets: [0, 70) train, [70, 85) validation, [85, 100) test.
TRAIN_PERCENT = 70
VALIDATION_PERCENT = 15
SALT = "patella-split-v1:"


@dataclass
class Split:
    train: np.ndarray  # row indices, ascending
    validation: np.ndarray
    test: np.ndarray


def _bucket(patient_id: str) -> int:
    digest = hashlib.sha256((SALT + patient_id).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % 100


def split_by_patient(patient_ids: List[str]) -> Split:
    buckets = {}
    assignment = np.empty(len(patient_ids), dtype=np.int8)
    for row, patient_id in enumerate(patient_ids):
        bucket = buckets.get(patient_id)
        if bucket is None:
            bucket = buckets[patient_id] = _bucket(patient_id)
        assignment[row] = 0 if bucket < TRAIN_PERCENT else 1 if bucket < TRAIN_PERCENT + VALIDATION_PERCENT else 2
    return Split(*(np.flatnonzero(assignment == part) for part in range(3)))
