"""Reads the feature tensors written by `npm run features` (PREFIX.sequence.npy, .static.npy,
.labels.npy, .rows.ndjson, .meta.json). Training never rebuilds features itself: the layout is
whatever meta.json says, so a value-set change cannot silently desynchronise Python and
TypeScript."""
import json
from dataclasses import dataclass
from typing import List

import numpy as np


class FeatureFileError(Exception):
    """A tensor file is missing, malformed or inconsistent with the others."""


@dataclass
class FeatureMeta:
    feature_spec_version: str
    channels: List[str]
    static_features: List[str]
    weeks: int


@dataclass
class FeatureSet:
    meta: FeatureMeta
    sequence: np.ndarray  # float32 [N, C, W], memory-mapped
    static: np.ndarray  # float32 [N, S]
    labels: np.ndarray  # float32 [N]
    patient_ids: List[str]
    true_risk: np.ndarray  # float64 [N], NaN where the rows file has no trueRisk1y

    @property
    def rows(self) -> int:
        return int(self.labels.shape[0])


def _field(obj, key: str, kind, path: str):
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, kind):
        raise FeatureFileError(f"{path}: missing or malformed field {key!r}")
    return value


def read_meta(path: str) -> FeatureMeta:
    """Reads the meta.json of `npm run features` (models/features/feature-run.ts): specVersion,
    channels [{kind, id}], staticFeatures and shapes.sequence [N, C, W]."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except FileNotFoundError:
        raise FeatureFileError(f"{path}: not found (run `npm run features` first)") from None
    except json.JSONDecodeError as error:
        raise FeatureFileError(f"{path}: line {error.lineno}: invalid JSON ({error.msg})") from None
    version = _field(raw, "specVersion", str, path)
    channels = [_field(entry, "id", str, path) for entry in _field(raw, "channels", list, path)]
    static = [str(name) for name in _field(raw, "staticFeatures", list, path)]
    sequence_shape = _field(_field(raw, "shapes", dict, path), "sequence", list, path)
    if len(sequence_shape) != 3 or sequence_shape[1] != len(channels):
        raise FeatureFileError(f"{path}: shapes.sequence {sequence_shape} does not match {len(channels)} channels")
    return FeatureMeta(version, channels, static, int(sequence_shape[2]))


def _load_npy(path: str, shape_tail: tuple, rows_hint=None) -> np.ndarray:
    try:
        array = np.load(path, mmap_mode="r")
    except FileNotFoundError:
        raise FeatureFileError(f"{path}: not found") from None
    except ValueError as error:
        raise FeatureFileError(f"{path}: not a readable .npy file ({error})") from None
    if array.dtype != np.float32:
        raise FeatureFileError(f"{path}: dtype {array.dtype}, expected float32")
    if tuple(array.shape[1:]) != shape_tail or (rows_hint is not None and array.shape[0] != rows_hint):
        expected = ("N" if rows_hint is None else rows_hint,) + shape_tail
        raise FeatureFileError(f"{path}: shape {array.shape}, expected {expected}")
    return array


def _read_rows(path: str, count: int):
    patient_ids: List[str] = []
    true_risk = np.full(count, np.nan)
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise FeatureFileError(f"{path}: not found") from None
    with handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise FeatureFileError(f"{path}: line {line_no}: invalid JSON ({error.msg})") from None
            if not isinstance(row, dict) or not isinstance(row.get("patientId"), str):
                raise FeatureFileError(f"{path}: line {line_no}: no string patientId")
            index = len(patient_ids)
            if index >= count:
                raise FeatureFileError(f"{path}: line {line_no}: more rows than the {count} in the tensors")
            patient_ids.append(row["patientId"])
            risk = row.get("trueRisk1y")
            if isinstance(risk, (int, float)):
                true_risk[index] = float(risk)
    if len(patient_ids) != count:
        raise FeatureFileError(f"{path}: {len(patient_ids)} rows, the tensors have {count}")
    return patient_ids, true_risk


def load_features(prefix: str) -> FeatureSet:
    """Loads PREFIX.* and checks that every file agrees on the row count and on meta.json's layout."""
    meta = read_meta(f"{prefix}.meta.json")
    labels = _load_npy(f"{prefix}.labels.npy", ())
    count = int(labels.shape[0])
    sequence = _load_npy(f"{prefix}.sequence.npy", (len(meta.channels), meta.weeks), count)
    static = _load_npy(f"{prefix}.static.npy", (len(meta.static_features),), count)
    label_values = np.asarray(labels)
    if not np.all((label_values == 0) | (label_values == 1)):
        raise FeatureFileError(f"{prefix}.labels.npy: labels must be 0 or 1")
    patient_ids, true_risk = _read_rows(f"{prefix}.rows.ndjson", count)
    return FeatureSet(meta, sequence, np.asarray(static), label_values, patient_ids, true_risk)
