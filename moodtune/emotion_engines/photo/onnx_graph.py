"""Freeing an ONNX graph's input size, with protobuf alone (no ``onnx`` package).

CenterFace's ONNX file declares a fixed 10 × 3 × 32 × 32 input, and onnxruntime refuses
any other size; the network itself is fully convolutional. Clearing the declared shapes
of the graph's inputs and outputs lets onnxruntime infer them for whatever size comes.
The file also lists its weights among the graph inputs (an old exporter's habit), which
stops onnxruntime from folding constants; dropping them from the inputs (they stay as
initializers) makes it about a quarter faster.

Only the few fields involved are declared below, with their numbers from onnx.proto
(ModelProto.graph = 7; GraphProto.initializer = 5, input = 11, output = 12;
ValueInfoProto.name = 1, type = 2; TypeProto.tensor_type = 1; TensorProto.name = 8;
TypeProto.Tensor.shape = 2). Protobuf keeps every other field as it was, untouched.
"""

from __future__ import annotations

import functools
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_FIELD = descriptor_pb2.FieldDescriptorProto
_MESSAGES: dict[str, tuple[tuple[str, int, int, int, str], ...]] = {
    # message: (field, number, type, label, message type)
    "Model": (("graph", 7, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_OPTIONAL, "Graph"),),
    "Graph": (
        ("initializer", 5, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_REPEATED, "Tensor"),
        ("input", 11, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_REPEATED, "ValueInfo"),
        ("output", 12, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_REPEATED, "ValueInfo"),
    ),
    "Tensor": (("name", 8, _FIELD.TYPE_STRING, _FIELD.LABEL_OPTIONAL, ""),),
    "ValueInfo": (
        ("name", 1, _FIELD.TYPE_STRING, _FIELD.LABEL_OPTIONAL, ""),
        ("type", 2, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_OPTIONAL, "Type"),
    ),
    "Type": (("tensor_type", 1, _FIELD.TYPE_MESSAGE, _FIELD.LABEL_OPTIONAL, "TensorType"),),
    "TensorType": (("shape", 2, _FIELD.TYPE_BYTES, _FIELD.LABEL_OPTIONAL, ""),),
}


class OnnxGraphError(ValueError):
    """Bytes that are not an ONNX model this module can rewrite."""


@functools.cache
def _model_class() -> Any:
    file = descriptor_pb2.FileDescriptorProto(
        name="moodtune_onnx_subset.proto", package="moodtune_onnx", syntax="proto2"
    )
    for message, fields in _MESSAGES.items():
        declared = file.message_type.add(name=message)
        for name, number, kind, label, type_name in fields:
            field = declared.field.add(name=name, number=number, type=kind, label=label)
            if type_name:
                field.type_name = f".moodtune_onnx.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("moodtune_onnx.Model"))


def free_input_sizes(model: bytes) -> bytes:
    """The model with no declared input/output shapes and no weights among its inputs."""
    try:
        parsed = _model_class().FromString(model)
    except Exception as error:  # protobuf's DecodeError and friends
        raise OnnxGraphError(f"not an ONNX model ({error})") from error
    graph = parsed.graph
    weights = {tensor.name for tensor in graph.initializer}
    for index in reversed(range(len(graph.input))):
        if graph.input[index].name in weights:
            del graph.input[index]
    if not graph.input or not graph.output:
        raise OnnxGraphError("the ONNX graph has no inputs or outputs")
    for value in (*graph.input, *graph.output):
        value.type.tensor_type.ClearField("shape")
    return parsed.SerializeToString()
