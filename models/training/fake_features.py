"""Writes random tensors in the `npm run features` format (PREFIX.sequence.npy, .static.npy,
.labels.npy, .rows.ndjson, .meta.json), for the early placeholder model and for tests of the
training code that must not depend on the cohort simulator. The labels depend weakly on a few
inputs so that training has something to find.

usage: python3 fake_features.py --spec SPEC.json --out PREFIX [--rows N] [--seed S]
SPEC.json: {"specVersion", "channels": [{kind, id}], "staticFeatures": [names], "weeks"}
(print it with `npx tsx models/training/print-spec.ts`)."""
import argparse
import json

import numpy as np


def write_fake_features(spec: dict, prefix: str, rows: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    channels, weeks, statics = len(spec["channels"]), int(spec["weeks"]), len(spec["staticFeatures"])
    patients = max(1, rows // 2)
    patient_of_row = rng.integers(0, patients, rows)
    # Sparse weekly values in sevenths, like "days with the diagnosis / 7".
    sequence = (rng.random((rows, channels, weeks)) < 0.02) * rng.integers(1, 8, (rows, channels, weeks)) / 7.0
    static = rng.normal(0, 1, (rows, statics))
    score = -3.5 + 0.8 * static[:, 0] + 4.0 * sequence[:, 0, -52:].mean(1) * weeks / 8
    true_risk = 1.0 / (1.0 + np.exp(-score))
    labels = (rng.random(rows) < true_risk).astype(np.float32)
    np.save(f"{prefix}.sequence.npy", sequence.astype(np.float32))
    np.save(f"{prefix}.static.npy", static.astype(np.float32))
    np.save(f"{prefix}.labels.npy", labels)
    with open(f"{prefix}.rows.ndjson", "w", encoding="utf-8") as handle:
        for row in range(rows):
            record = {"patientId": f"fake-{patient_of_row[row]}", "indexDate": "2020-01-01", "label": int(labels[row]), "trueRisk1y": float(true_risk[row])}
            handle.write(json.dumps(record) + "\n")
    meta = {
        "specVersion": spec["specVersion"],
        "labelSource": "fake_features.py",
        "shapes": {"sequence": [rows, channels, weeks], "static": [rows, statics], "labels": [rows]},
        "channels": spec["channels"],
        "staticFeatures": spec["staticFeatures"],
    }
    with open(f"{prefix}.meta.json", "w", encoding="utf-8") as handle:
        json.dump(meta, handle, indent=2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.spec, encoding="utf-8") as handle:
        spec = json.load(handle)
    write_fake_features(spec, args.out, args.rows, args.seed)


if __name__ == "__main__":
    main()
