"""Appends a recalibration to a Patella ONNX model and writes it as a new file.

    /usr/bin/python3 append_calibration.py IN.onnx OUT.onnx SPEC.json

The network is kept as it is: its output `risk` is renamed `risk_network`, and new nodes map it
to the new `risk` (same name, type and shape, so every consumer loads the new file unchanged):

- logistic and intercept: risk = sigmoid(intercept + slope * logit(clip(risk_network, 1e-7, 1 - 1e-7)))
  (intercept: the slope is 1)
- isotonic: risk = base + sum_k step_k * (risk_network >= threshold_k), a non-decreasing step
  function (the pool-adjacent-violators fit), built from GreaterOrEqual, Cast and MatMul.

SPEC.json: {"method": "logistic" or "intercept", "intercept": a, "slope": b} or {"method": "isotonic",
"thresholds": [...], "values": [...]} (values[k] applies from thresholds[k] on; below the first
threshold values[0]), plus "metadata": {key: string} entries that replace or add metadata_props.
Opset 13, as the exported models (onnxruntime-node and -web run it).
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NETWORK_OUTPUT = "risk_network"
OUTPUT = "risk"
EPS = 1e-7


def _constant(name: str, values) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name=name)


def _logistic_nodes(spec: dict):
    initializers = [
        _constant("recal_eps_low", EPS),
        _constant("recal_eps_high", 1 - EPS),
        _constant("recal_one", 1.0),
        _constant("recal_slope", spec["slope"]),
        _constant("recal_intercept", spec["intercept"]),
    ]
    nodes = [
        helper.make_node("Clip", [NETWORK_OUTPUT, "recal_eps_low", "recal_eps_high"], ["recal_p"]),
        helper.make_node("Sub", ["recal_one", "recal_p"], ["recal_q"]),
        helper.make_node("Div", ["recal_p", "recal_q"], ["recal_odds"]),
        helper.make_node("Log", ["recal_odds"], ["recal_logit"]),
        helper.make_node("Mul", ["recal_logit", "recal_slope"], ["recal_scaled"]),
        helper.make_node("Add", ["recal_scaled", "recal_intercept"], ["recal_eta"]),
        helper.make_node("Sigmoid", ["recal_eta"], [OUTPUT]),
    ]
    return nodes, initializers


def _isotonic_nodes(spec: dict):
    thresholds = np.asarray(spec["thresholds"], dtype=np.float32)
    values = np.asarray(spec["values"], dtype=np.float32)
    if thresholds.ndim != 1 or thresholds.shape != values.shape or len(values) == 0:
        raise ValueError("isotonic: thresholds and values must be equal-length, non-empty lists")
    steps = np.diff(values, prepend=values[:1])  # step at threshold k = values[k] - values[k-1]; 0 at k = 0
    initializers = [
        numpy_helper.from_array(np.asarray([1], dtype=np.int64), name="recal_axes"),
        _constant("recal_thresholds", thresholds),
        _constant("recal_steps", steps),
        _constant("recal_base", values[0]),
    ]
    nodes = [
        helper.make_node("Unsqueeze", [NETWORK_OUTPUT, "recal_axes"], ["recal_column"]),
        helper.make_node("GreaterOrEqual", ["recal_column", "recal_thresholds"], ["recal_above"]),
        helper.make_node("Cast", ["recal_above"], ["recal_indicator"], to=TensorProto.FLOAT),
        helper.make_node("MatMul", ["recal_indicator", "recal_steps"], ["recal_sum"]),
        helper.make_node("Add", ["recal_sum", "recal_base"], [OUTPUT]),
    ]
    return nodes, initializers


def append_calibration(source: str, target: str, spec: dict) -> None:
    model = onnx.load(source)
    graph = model.graph
    if [o.name for o in graph.output] != [OUTPUT]:
        raise ValueError(f"{source}: expected one output named {OUTPUT!r}")
    for node in graph.node:
        node.output[:] = [NETWORK_OUTPUT if name == OUTPUT else name for name in node.output]
    builders = {"logistic": _logistic_nodes, "intercept": _logistic_nodes, "isotonic": _isotonic_nodes}
    if spec.get("method") not in builders:
        raise ValueError(f"unknown method {spec.get('method')!r}")
    nodes, initializers = builders[spec["method"]](spec)
    graph.node.extend(nodes)
    graph.initializer.extend(initializers)
    metadata = {entry.key: entry.value for entry in model.metadata_props}
    metadata.update(spec.get("metadata", {}))
    helper.set_model_props(model, metadata)  # protobuf refuses a value that is not a string
    onnx.checker.check_model(model)
    onnx.save(model, target)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    with open(sys.argv[3], encoding="utf-8") as handle:
        append_calibration(sys.argv[1], sys.argv[2], json.load(handle))
