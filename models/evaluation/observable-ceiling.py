"""How much of the oracle's AUROC can a model that reads the record reach at all?

    /usr/bin/python3 models/evaluation/observable-ceiling.py PREFIX [--onset 0.1] [--window 52] [--high 0.05]

PREFIX is a tensor prefix of `npm run features` on a simulated cohort (PREFIX.sequence.npy,
.static.npy, .labels.npy, .rows.ndjson with trueRisk1y, .meta.json). The simulator's true 1-year
risk (the "oracle") jumps once the latent knee OA onset has happened (true risk > --onset); the
record shows that onset only through the prodrome: knee pain visits, oral NSAIDs, paracetamol.

Prints: the share of positives past onset, how many of them show any prodrome evidence in the
last --window weeks before the index date, the oracle's AUROC, and the AUROC of a "visible-prodrome
oracle": the true risk, except that onset patients with no visible evidence get the median true
risk of the pre-onset positives (what the record lets anyone know about them). Two variants: the
masking applied to positives only (the lead's first measurement) and to every row past onset.

If PREFIX.scores.<model>.npy files exist (models/evaluation/score-tensors.ts), also prints each
model's AUROC overall and on rows with and without visible evidence, its sensitivity at the high
tier among onset positives with and without evidence, and the deep model's AUROC gain over the
aggregated logistic regression on those rows with bootstrap intervals over patients (about a minute).
"""
import argparse
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training"))
from metrics import auroc  # noqa: E402
from tensors import FeatureFileError, load_features  # noqa: E402

# The prodrome channels of the simulator (models/cohort) in the value sets (shared/valuesets/).
PRODROME_CHANNELS = ("knee_pain", "nsaid_oral", "paracetamol")
# The target of issue 3: deep-model AUROC at least this fraction of the oracle's.
TARGET_FRACTION = 0.97


def visible_evidence(features, window: int) -> np.ndarray:
    """True for rows with any prodrome channel above 0 in the last `window` weeks (the sequence's
    last weeks are the most recent: models/FEATURES.md)."""
    missing = [c for c in PRODROME_CHANNELS if c not in features.meta.channels]
    if missing:
        raise FeatureFileError(f"meta.json has no channel(s) {missing}: not the value sets this analysis expects")
    channels = [features.meta.channels.index(c) for c in PRODROME_CHANNELS]
    visible = np.zeros(features.rows, dtype=bool)
    for start in range(0, features.rows, 4096):
        block = np.asarray(features.sequence[start : start + 4096, channels, -window:])
        visible[start : start + 4096] = block.reshape(block.shape[0], -1).max(axis=1) > 0
    return visible


def masked_oracle(true_risk, labels, onset, visible, positives_only: bool) -> np.ndarray:
    """True risk with the invisible onsets replaced by the pre-onset positives' median risk."""
    positive = labels > 0.5
    hidden = onset & ~visible & (positive if positives_only else True)
    masked = true_risk.copy()
    masked[hidden] = np.median(true_risk[positive & ~onset])
    return masked


def share(part: int, whole: int) -> str:
    return f"{part} / {whole} ({100.0 * part / whole:.1f}%)" if whole else f"{part} / 0"


def model_scores(prefix: str, rows: int) -> dict:
    scores = {}
    for path in sorted(glob.glob(f"{glob.escape(prefix)}.scores.*.npy")):
        name = path[len(prefix) + len(".scores.") : -len(".npy")]
        values = np.load(path)
        if values.shape != (rows,):
            raise FeatureFileError(f"{path}: shape {values.shape}, expected ({rows},): rerun score-tensors.ts")
        scores[name] = values.astype(np.float64)
    return scores


def report_models(scores, labels, onset, visible, high: float) -> None:
    positive = labels > 0.5
    print(f"\nmodels (PREFIX.scores.*.npy), AUROC and sensitivity at the high tier (risk >= {high}):")
    print(f"{'model':24} {'AUROC all':>9} {'AUROC visible':>13} {'AUROC no-evidence':>17} {'sens. onset+vis':>15} {'sens. onset no-vis':>18} {'sens. pre-onset':>15}")
    for name, s in scores.items():
        flagged = s >= high
        groups = [positive & onset & visible, positive & onset & ~visible, positive & ~onset]
        sens = [f"{flagged[g].mean():.3f}" if g.any() else "n/a" for g in groups]
        print(
            f"{name:24} {auroc(labels, s):9.3f} {auroc(labels[visible], s[visible]):13.3f} "
            f"{auroc(labels[~visible], s[~visible]):17.3f} {sens[0]:>15} {sens[1]:>18} {sens[2]:>15}"
        )


def patient_resampler(patients: np.ndarray, index: np.ndarray):
    """A function of a random generator that draws rows `index` resampled by patient: patients
    drawn with replacement, each with all its rows (a patient's index dates are correlated, so
    rows drawn one by one would understate the spread). The rows are grouped by patient once; a
    draw only picks patients."""
    codes = np.unique(patients[index], return_inverse=True)[1]
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    starts = np.cumsum(counts) - counts

    def draw(rng: np.random.Generator) -> np.ndarray:
        picked = rng.integers(0, counts.size, counts.size)
        lengths = counts[picked]
        within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return index[order[np.repeat(starts[picked], lengths) + within]]

    return draw


def bootstrap_difference(labels, first, second, rows: np.ndarray, patients: np.ndarray, repeats: int, seed: int = 1001):
    """AUROC(first) - AUROC(second) on `rows`, with a 95% percentile bootstrap interval over
    patients (patient_resampler)."""
    index = np.flatnonzero(rows)
    estimate = auroc(labels[index], first[index]) - auroc(labels[index], second[index])
    rng = np.random.default_rng(seed)
    resample = patient_resampler(patients, index)
    draws = []
    for _ in range(repeats):
        sample = resample(rng)
        draws.append(auroc(labels[sample], first[sample]) - auroc(labels[sample], second[sample]))
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return estimate, low, high


def report_temporal_use(scores, labels, visible, patients: np.ndarray, repeats: int) -> None:
    """Does the CNN gain over the aggregated counts where the prodrome is visible (its timing is
    the only temporal signal the simulator puts in the record)?"""
    deep, aggregated = scores.get("deep-koa"), scores.get("baseline-aggregated-lr")
    if deep is None or aggregated is None or repeats == 0:
        return
    print(f"\ndeep-koa minus baseline-aggregated-lr, AUROC (95% bootstrap CI, {repeats} resamples of patients):")
    for name, rows in (("all rows", np.ones_like(visible)), ("visible evidence", visible), ("no evidence", ~visible)):
        estimate, low, high = bootstrap_difference(labels, deep, aggregated, rows, patients, repeats)
        print(f"  {name:17} {estimate:+.3f} ({low:+.3f} to {high:+.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("prefix")
    parser.add_argument("--onset", type=float, default=0.1, help="true 1-year risk above which the latent onset has happened")
    parser.add_argument("--window", type=int, default=52, help="weeks before the index date searched for prodrome evidence")
    parser.add_argument("--high", type=float, default=0.05, help="high-tier threshold (RISK_TIER_CONFIG in shared/risk-tiers.ts)")
    parser.add_argument("--bootstrap", type=int, default=200, help="resamples for the deep-vs-aggregated intervals (0: none)")
    args = parser.parse_args()
    try:
        features = load_features(args.prefix)
        if np.isnan(features.true_risk).any():
            raise FeatureFileError(f"{args.prefix}.rows.ndjson: rows without trueRisk1y (not a simulated cohort?)")
        if not 0 < args.window <= features.meta.weeks:
            raise FeatureFileError(f"--window must be in 1..{features.meta.weeks}")
        labels = features.labels.astype(np.float64)
        true_risk = features.true_risk
        onset = true_risk > args.onset
        visible = visible_evidence(features, args.window)
        scores = model_scores(args.prefix, features.rows)
    except (FeatureFileError, OSError, ValueError) as error:
        sys.exit(f"observable-ceiling: {error}")

    positive = labels > 0.5
    print(f"{args.prefix}: {features.rows} rows, {int(positive.sum())} positives; onset = true risk > {args.onset}; "
          f"evidence = any of {', '.join(PRODROME_CHANNELS)} in the last {args.window} weeks")
    print(f"positives past onset:                   {share(int((positive & onset).sum()), int(positive.sum()))}")
    print(f"  of which with visible evidence:       {share(int((positive & onset & visible).sum()), int((positive & onset).sum()))}")
    print(f"pre-onset positives with evidence:      {share(int((positive & ~onset & visible).sum()), int((positive & ~onset).sum()))}")
    print(f"negatives with evidence:                {share(int((~positive & visible).sum()), int((~positive).sum()))}")
    print(f"negatives past onset:                   {share(int((~positive & onset).sum()), int((~positive).sum()))}")
    oracle = auroc(labels, true_risk)
    print(f"\noracle AUROC:                           {oracle:.4f}  (target {TARGET_FRACTION} x oracle = {TARGET_FRACTION * oracle:.4f})")
    print(f"pre-onset positives' median true risk:  {np.median(true_risk[positive & ~onset]):.4f}  (given to the invisible onsets)")
    for positives_only, label in ((True, "positives"), (False, "all rows")):
        value = auroc(labels, masked_oracle(true_risk, labels, onset, visible, positives_only))
        print(f"visible-prodrome oracle (mask {label + '):':11} {value:.4f}  = {value / oracle:.3f} x oracle")
    if scores:
        report_models(scores, labels, onset, visible, args.high)
        report_temporal_use(scores, labels, visible, np.asarray(features.patient_ids), args.bootstrap)


if __name__ == "__main__":
    main()
