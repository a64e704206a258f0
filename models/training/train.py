"""Trains Deep-KOA and the two baselines on feature tensors, calibrates them on the validation
split, exports the three ONNX files, a parity fixture and a training report.

usage: /usr/bin/python3 models/training/train.py --features PREFIX --out DIR
         [--epochs 60] [--seed 1] [--data-description TEXT] [--model-version V] [--max-steps N]

Writes DIR/deep-koa.onnx, DIR/baseline-aggregated-lr.onnx, DIR/baseline-age-sex-lr.onnx,
DIR/parity-fixture.json (inputs and PyTorch outputs for a few rows, which the TypeScript tests
compare with onnxruntime-node and -web) and DIR/training-report.json."""
import argparse
import dataclasses
import datetime
import json
import math
import os
import sys
import time

import numpy as np
import torch

from calibration import fit_platt
from export_onnx import OPSET, export_model
from fit import FitOptions, batch, fit, predict_logits
from metrics import summarize
from networks import AgeSexLR, AggregatedLR, CalibratedRisk, DeepKoaNet
from split import split_by_patient
from tensors import FeatureFileError, FeatureSet, load_features

FIXTURE_ROWS = 8
# Rows used to set the baselines' standardisation (means and scales of their inputs).
STANDARDIZATION_ROWS = 20000
# Adam step sizes: the logistic regressions are convex and well scaled, so they take bigger steps.
LEARNING_RATES = {"deep-koa": 1e-3, "baseline-aggregated-lr": 1e-2, "baseline-age-sex-lr": 1e-2}


def json_safe(value):
    """NaN is not JSON: report it as null."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return value


def describe_rows(data: FeatureSet, rows: np.ndarray) -> dict:
    return {
        "rows": int(rows.size),
        "patients": len({data.patient_ids[row] for row in rows}),
        "positive_rate": float(data.labels[rows].mean()) if rows.size else None,
    }


def build_models(data: FeatureSet, train_rows: np.ndarray, seed: int) -> dict:
    torch.manual_seed(seed)
    channels, statics, weeks = len(data.meta.channels), len(data.meta.static_features), data.meta.weeks
    aggregated = AggregatedLR(channels, statics)
    age_sex = AgeSexLR(data.meta.static_features)
    sample = np.sort(np.random.default_rng(seed).permutation(train_rows)[:STANDARDIZATION_ROWS])
    sequence, static, _ = batch(data, sample)
    aggregated.fit_standardization(sequence, static)
    age_sex.fit_standardization(sequence, static)
    return {
        "deep-koa": DeepKoaNet(channels, statics, weeks),
        "baseline-aggregated-lr": aggregated,
        "baseline-age-sex-lr": age_sex,
    }


def fixture_rows(data: FeatureSet, test_rows: np.ndarray, seed: int) -> np.ndarray:
    """A few test rows, half of them positives when there are any, so the parity check covers
    both ends of the risk range."""
    pool = test_rows if test_rows.size >= FIXTURE_ROWS else np.arange(data.rows)
    rng = np.random.default_rng(seed)
    positives = pool[data.labels[pool] > 0.5]
    negatives = pool[data.labels[pool] <= 0.5]
    chosen = list(rng.permutation(positives)[: FIXTURE_ROWS // 2])
    chosen += list(rng.permutation(negatives)[: FIXTURE_ROWS - len(chosen)])
    return np.sort(np.array(chosen, dtype=np.int64))


def write_fixture(path: str, data: FeatureSet, rows: np.ndarray, calibrated: dict) -> None:
    sequence, static, _ = batch(data, rows)
    expected = {}
    with torch.no_grad():
        for name, module in calibrated.items():
            module.eval()
            expected[f"{name}.onnx"] = [float(v) for v in module(sequence, static).numpy()]
    fixture = {
        "description": "Inputs and PyTorch outputs for parity tests: ONNX runtimes must reproduce `expected` to `tolerance`. "
        "sequence rows are flat, channel-major (value of channel c in week w at c * weeks + w), like PatientFeatures.sequence.",
        "feature_spec_version": data.meta.feature_spec_version,
        "tolerance": 1e-5,
        "rows": int(rows.size),
        "channels": len(data.meta.channels),
        "weeks": data.meta.weeks,
        "static_count": len(data.meta.static_features),
        "inputs": {
            # Zeros written as 0, not 0.0: the sequence is mostly zeros and this halves the file.
            "sequence": [[float(v) if v else 0 for v in row] for row in sequence.reshape(rows.size, -1).numpy()],
            "static": [[float(v) for v in row] for row in static.numpy()],
        },
        "expected": expected,
    }
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(fixture, handle, separators=(",", ":"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", required=True, help="tensor prefix written by npm run features")
    parser.add_argument("--out", required=True, help="output directory for the ONNX files and reports")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-description", default="feature tensors", help="where the data came from")
    parser.add_argument("--model-version", default="0.1.0")
    parser.add_argument("--max-steps", type=int, default=None, help="cap optimiser steps per epoch")
    args = parser.parse_args()
    torch.set_num_threads(2)
    started = time.time()
    try:
        data = load_features(args.features)
    except FeatureFileError as error:
        print(f"train.py: {error}", file=sys.stderr)
        return 2
    split = split_by_patient(data.patient_ids)
    parts = {"train": split.train, "validation": split.validation, "test": split.test}
    for name, rows in parts.items():
        if rows.size == 0 or (name == "train" and data.labels[rows].sum() == 0):
            print(f"train.py: the {name} split has no rows or no positives; simulate more patients", file=sys.stderr)
            return 2
        if data.labels[rows].sum() == 0:
            # Tiny smoke cohorts: still export, but the metrics of this split are undefined (null).
            print(f"train.py: warning: the {name} split has no positives; its AUROC is undefined", file=sys.stderr)
    os.makedirs(args.out, exist_ok=True)
    overall = describe_rows(data, np.arange(data.rows))
    split_report = {name: describe_rows(data, rows) for name, rows in parts.items()}
    print(f"data: {overall['rows']} rows, {overall['patients']} patients, positive rate {overall['positive_rate']:.4f}")
    training_data = (
        f"{args.data_description}; {overall['rows']} rows (index dates) from {overall['patients']} patients, "
        f"positive rate {overall['positive_rate']:.4f}; split by patient 70/15/15 "
        f"(train {split_report['train']['rows']}, validation {split_report['validation']['rows']}, test {split_report['test']['rows']} rows)"
    )
    trained_at = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    report = {
        "feature_spec_version": data.meta.feature_spec_version,
        "trained_at": trained_at,
        "training_data": training_data,
        "split": split_report,
        "opset": OPSET,
        "models": {},
    }
    if not np.isnan(data.true_risk).any():
        report["oracle"] = {name: summarize(data.labels[rows], data.true_risk[rows]) for name, rows in parts.items() if name != "train"}
    calibrated = {}
    options = FitOptions(epochs=args.epochs, seed=args.seed, max_steps=args.max_steps)
    for name, model in build_models(data, split.train, args.seed).items():
        print(f"training {name}")
        history = fit(model, data, split.train, split.validation, dataclasses.replace(options, learning_rate=LEARNING_RATES[name]))
        slope, intercept = fit_platt(predict_logits(model, data, split.validation), data.labels[split.validation])
        calibrated[name] = CalibratedRisk(model, slope, intercept)
        metrics = {}
        for part in ("validation", "test"):
            logits = predict_logits(model, data, parts[part])
            metrics[part] = summarize(data.labels[parts[part]], 1.0 / (1.0 + np.exp(-(slope * logits + intercept))))
        path = os.path.join(args.out, f"{name}.onnx")
        metadata = {
            "feature_spec_version": data.meta.feature_spec_version,
            "model_name": name,
            "model_version": args.model_version,
            "trained_at": trained_at,
            "training_data": training_data,
            "metrics": json.dumps(json_safe(metrics)),
            "channels": json.dumps(data.meta.channels),
            "static_features": json.dumps(data.meta.static_features),
        }
        export_model(calibrated[name], path, len(data.meta.channels), data.meta.weeks, len(data.meta.static_features), metadata)
        report["models"][name] = {
            "epochs_run": history.epochs_run,
            "best_epoch": history.best_epoch,
            "train_loss": history.train_loss,
            "validation_loss": history.validation_loss,
            "negative_sampling_fraction": history.negative_fraction,
            "seconds": round(history.seconds, 1),
            "calibration": {"slope": slope, "intercept": intercept},
            "onnx_bytes": os.path.getsize(path),
            **metrics,
        }
        print(f"  {name}: validation AUROC {metrics['validation']['auroc']:.4f}, test AUROC {metrics['test']['auroc']:.4f}, {os.path.getsize(path)} bytes")
    write_fixture(os.path.join(args.out, "parity-fixture.json"), data, fixture_rows(data, split.test, args.seed), calibrated)
    report["wall_seconds"] = round(time.time() - started, 1)
    with open(os.path.join(args.out, "training-report.json"), "w", encoding="utf-8") as handle:
        json.dump(json_safe(report), handle, indent=2)
    print(f"wrote {args.out} in {report['wall_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
