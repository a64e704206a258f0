#!/usr/bin/env bash
# npm run train: simulate a cohort, build its feature tensors, train Deep-KOA and the two
# baselines, export the ONNX models with a parity fixture and a training report, check
# onnxruntime-node against PyTorch, then evaluate (if the evaluation CLI exists).
#
# Options (environment variables):
#   PATIENTS   simulated patients (default 300000: about 1.5 index dates each, ~440,000 rows, ~1,600 positives;
#              150000 gives the 200,000 rows the issue asks for but only ~570 training positives)
#   SEED       cohort simulation seed (default 7); training uses it too
#   EPOCHS     maximum training epochs, early stopping may end sooner (default 60)
#   OUT        where the models go (default models/deep-koa: the committed model); the evaluation report goes
#              next to them, except for models/deep-koa, whose reports live in models/evaluation/reports/
#   WORK       work files: cohort and tensors (default models/training/work, git-ignored)
#   MAX_STEPS  optional cap on optimiser steps per epoch (smoke runs)
#   EVALUATE   set to 0 to skip the evaluation stage
#   MODEL_VERSION  written into the ONNX metadata (default 1.0.0)
#   FEATURES   optional tensor prefix from an earlier `npm run features` (e.g. on an institution's
#              own FHIR Bulk Data export): skips simulation and feature building
#   DATA_DESCRIPTION  what FEATURES holds, for the ONNX metadata (default: the prefix)
#
# Smoke run (seconds; positives are rare: 2000 patients with seed 3 puts some in every split):
#   PATIENTS=2000 SEED=3 EPOCHS=1 MAX_STEPS=5 EVALUATE=0 OUT=/tmp/koa-smoke WORK=/tmp/koa-smoke/work npm run train
set -euo pipefail
cd "$(dirname "$0")/../.."

PATIENTS="${PATIENTS:-300000}"
SEED="${SEED:-7}"
EPOCHS="${EPOCHS:-60}"
OUT="${OUT:-models/deep-koa}"
WORK="${WORK:-models/training/work}"
EVALUATE="${EVALUATE:-1}"
MODEL_VERSION="${MODEL_VERSION:-1.0.0}"
PYTHON=/usr/bin/python3

mkdir -p "$WORK" "$OUT"

stage_started=0
stage() { stage_started=$(date +%s); echo "== $1"; }
stage_done() { echo "   ($(( $(date +%s) - stage_started )) s)"; }
total_started=$(date +%s)

if [[ -n "${FEATURES:-}" ]]; then
  PREFIX="$FEATURES"
  DESCRIPTION="${DATA_DESCRIPTION:-feature tensors $FEATURES}"
else
  COHORT="$WORK/cohort-p$PATIENTS-s$SEED"
  PREFIX="$WORK/features-p$PATIENTS-s$SEED"
  DESCRIPTION="synthetic cohort (npm run cohort -- --patients $PATIENTS --seed $SEED)"

  stage "simulate cohort: $PATIENTS patients, seed $SEED -> $COHORT"
  rm -rf "$COHORT"
  npm run --silent cohort -- --patients "$PATIENTS" --seed "$SEED" --out "$COHORT"
  stage_done

  stage "build feature tensors -> $PREFIX.*"
  npm run --silent features -- --in "$COHORT" --out "$PREFIX"
  stage_done
fi

stage "train and export -> $OUT"
train_args=(--features "$PREFIX" --out "$OUT" --epochs "$EPOCHS" --seed "$SEED" --model-version "$MODEL_VERSION"
  --data-description "$DESCRIPTION")
if [[ -n "${MAX_STEPS:-}" ]]; then train_args+=(--max-steps "$MAX_STEPS"); fi
"$PYTHON" models/training/train.py "${train_args[@]}"
stage_done

stage "parity: onnxruntime-node vs PyTorch"
npx tsx models/training/check-parity.ts "$OUT"
stage_done

if [[ "$EVALUATE" != "0" && -f models/evaluation/cli.ts ]]; then
  # One place for the shipped model's reports: the committed ones in models/evaluation/reports/,
  # which the model card cites, so a retrain into models/deep-koa/ replaces them. A model
  # trained elsewhere (OUT=models/site) gets its report next to it.
  if [[ "$(cd "$OUT" && pwd -P)" == "$(cd models/deep-koa && pwd -P)" ]]; then
    REPORTS=models/evaluation/reports/simulated-seed1001
  else
    REPORTS="$OUT"
  fi
  stage "evaluate on a fresh simulated cohort (50000 patients, seed 1001) -> $REPORTS"
  npm run --silent evaluate -- --model "$OUT/deep-koa.onnx" --patients 50000 --seed 1001 --out "$REPORTS"
  stage_done
fi

echo "== done in $(( $(date +%s) - total_started )) s"
