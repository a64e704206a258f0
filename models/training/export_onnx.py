"""ONNX export under the contract the TypeScript inference code relies on: inputs `sequence`
float32 [batch, C, W] and `static` float32 [batch, S], output `risk` float32 [batch] (the
calibrated probability), dynamic batch axis, opset 13 (run by onnxruntime-node and -web),
and string metadata_props describing the model."""
from typing import Dict

import onnx
import torch
from torch import nn

OPSET = 13
INPUTS = ("sequence", "static")


def _declare_all_inputs(graph: onnx.ModelProto, shapes: Dict[str, list]) -> None:
    """The exporter drops inputs the model never reads (the age/sex baseline ignores `sequence`);
    the contract is that every model takes the same inputs, so put them back, unused."""
    present = {value.name for value in graph.graph.input}
    for position, name in enumerate(INPUTS):
        if name not in present:
            value = onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, shapes[name])
            graph.graph.input.insert(position, value)


def export_model(module: nn.Module, path: str, channels: int, weeks: int, static_count: int, metadata: Dict[str, str]) -> None:
    module.eval()
    example = (torch.zeros(2, channels, weeks), torch.zeros(2, static_count))
    torch.onnx.export(
        module,
        example,
        path,
        input_names=list(INPUTS),
        output_names=["risk"],
        dynamic_axes={"sequence": {0: "batch"}, "static": {0: "batch"}, "risk": {0: "batch"}},
        opset_version=OPSET,
        do_constant_folding=True,
    )
    graph = onnx.load(path)
    _declare_all_inputs(graph, {"sequence": ["batch", channels, weeks], "static": ["batch", static_count]})
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise TypeError(f"metadata {key} must be a string")
        entry = graph.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(graph)
    onnx.save(graph, path)


def read_metadata(path: str) -> Dict[str, str]:
    return {entry.key: entry.value for entry in onnx.load(path).metadata_props}


if __name__ == "__main__":
    # `python3 export_onnx.py FILE...`: prints {file: metadata} as JSON (used by tests, because
    # onnxruntime's JavaScript API does not expose custom metadata).
    import json
    import sys

    if len(sys.argv) < 2:
        sys.exit("usage: export_onnx.py MODEL.onnx...")
    print(json.dumps({path: read_metadata(path) for path in sys.argv[1:]}))
