"""A BERT encoder as an ONNX graph, built in memory from the model's own weights.

onnxruntime runs the graph: it fuses the LayerNorms, the GELUs and the bias additions, and
packs each weight matrix once when the session starts, where numpy repacked or re-read every
matrix on every message. For a 20-token message on one thread that is about 5 ms instead of
10 on this machine. The output matches the textbook forward pass to float32 rounding.

Nothing here is downloaded or cached on disk: the graph is rebuilt at each start from the
safetensors file that bot/nlp/sentence_encoder.py has checked by hash. The weight matrices
are not copied into the graph: it names them as external data, and the session is handed the
arrays themselves (`Graph.arrays`, see `Session`). Copied in, they were held several times over
while the session started: loading the encoder peaked at 797 MB instead of 285.

The graph's inputs are `input_ids` [batch, length] (int64), `position_ids` [length] (int64)
and `attention_bias` [batch, 1, 1, length] (0 for a real token, a large negative number for
padding); its output is `last_hidden_state` [batch, length, hidden].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

OUTPUT = "last_hidden_state"
# LayerNormalization is an ONNX operator from opset 17 on
OPSET = 17

# A constant this large is handed to the session as an array instead of copied into the graph
EXTERNAL_FROM = 1024

Weights = Callable[[str], np.ndarray]


@dataclass
class Graph:
    """The serialised ONNX model, and the arrays it names as external data (keep them alive
    as long as the session)."""

    model: bytes
    arrays: dict[str, np.ndarray] = field(default_factory=dict)


class _Builder:
    """Collects nodes and constant tensors; every node gets one fresh output name."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.constants: list = []
        self.arrays: dict[str, np.ndarray] = {}

    def constant(self, value: np.ndarray) -> str:
        from onnx import TensorProto, numpy_helper

        name = f"c{len(self.constants)}"
        if value.size < EXTERNAL_FROM:
            self.constants.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
            return name
        value = np.ascontiguousarray(value, dtype=np.float32)
        tensor = TensorProto(name=name, data_type=TensorProto.FLOAT, dims=value.shape)
        tensor.data_location = TensorProto.EXTERNAL
        for key, text in (("location", "memory"), ("offset", "0"), ("length", str(value.nbytes))):
            tensor.external_data.add(key=key, value=text)
        self.constants.append(tensor)
        self.arrays[name] = value
        return name

    def scalar(self, value: float) -> str:
        return self.constant(np.array(value, dtype=np.float32))

    def op(self, op_type: str, *inputs: str, **attributes) -> str:
        from onnx import helper

        output = f"n{len(self.nodes)}"
        self.nodes.append(helper.make_node(op_type, list(inputs), [output], **attributes))
        return output

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        """x @ weight.T + bias, with weight [out, in] as PyTorch stores it."""
        return self.op("Add", self.op("MatMul", x, self.constant(weight.T)), self.constant(bias))

    def layer_norm(self, x: str, weight: np.ndarray, bias: np.ndarray, eps: float) -> str:
        return self.op(
            "LayerNormalization",
            x,
            self.constant(weight),
            self.constant(bias),
            axis=-1,
            epsilon=eps,
        )

    def gelu(self, x: str) -> str:
        """x * (1 + erf(x / sqrt(2))) / 2, BERT's "gelu", as onnxruntime's fusion expects it."""
        erf = self.op("Erf", self.op("Div", x, self.scalar(np.sqrt(2.0))))
        return self.op(
            "Mul", self.op("Mul", x, self.scalar(0.5)), self.op("Add", erf, self.scalar(1.0))
        )


def build(weights: Weights, layers: int, heads: int, eps: float) -> Graph:
    """The ONNX model of a BERT encoder whose tensors `weights(name)` returns,
    by their names in a Hugging Face BertModel without its prefix
    ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight", ...).
    """
    from onnx import TensorProto, helper

    g = _Builder()
    word = weights("embeddings.word_embeddings.weight")
    dim = word.shape[1]
    head_dim = dim // heads
    embedded = g.op(
        "Add",
        g.op(
            "Add",
            g.op("Gather", g.constant(word), "input_ids"),
            g.op(
                "Gather",
                g.constant(weights("embeddings.position_embeddings.weight")),
                "position_ids",
            ),
        ),
        g.constant(weights("embeddings.token_type_embeddings.weight")[0]),
    )
    h = g.layer_norm(
        embedded,
        weights("embeddings.LayerNorm.weight"),
        weights("embeddings.LayerNorm.bias"),
        eps,
    )
    split_heads = g.constant(np.array([0, 0, heads, head_dim], dtype=np.int64))
    join_heads = g.constant(np.array([0, 0, dim], dtype=np.int64))
    scale = g.scalar(1.0 / np.sqrt(head_dim))
    for i in range(layers):
        p = f"encoder.layer.{i}."
        query, key, value = (
            g.op(
                "Transpose",
                g.op(
                    "Reshape",
                    g.linear(
                        h,
                        weights(f"{p}attention.self.{name}.weight"),
                        weights(f"{p}attention.self.{name}.bias"),
                    ),
                    split_heads,
                ),
                # query and value [batch, heads, length, head_dim], key [.., head_dim, length]
                perm=[0, 2, 3, 1] if name == "key" else [0, 2, 1, 3],
            )
            for name in ("query", "key", "value")
        )
        scores = g.op("Add", g.op("Mul", g.op("MatMul", query, key), scale), "attention_bias")
        attention = g.op("Softmax", scores, axis=-1)
        context = g.op(
            "Reshape",
            g.op("Transpose", g.op("MatMul", attention, value), perm=[0, 2, 1, 3]),
            join_heads,
        )
        attended = g.linear(
            context,
            weights(p + "attention.output.dense.weight"),
            weights(p + "attention.output.dense.bias"),
        )
        h = g.layer_norm(
            g.op("Add", attended, h),
            weights(p + "attention.output.LayerNorm.weight"),
            weights(p + "attention.output.LayerNorm.bias"),
            eps,
        )
        up = g.gelu(
            g.linear(
                h, weights(p + "intermediate.dense.weight"), weights(p + "intermediate.dense.bias")
            )
        )
        down = g.linear(up, weights(p + "output.dense.weight"), weights(p + "output.dense.bias"))
        h = g.layer_norm(
            g.op("Add", down, h),
            weights(p + "output.LayerNorm.weight"),
            weights(p + "output.LayerNorm.bias"),
            eps,
        )
    g.nodes.append(helper.make_node("Identity", [h], [OUTPUT]))
    graph = helper.make_graph(
        g.nodes,
        "bert",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["length"]),
            helper.make_tensor_value_info(
                "attention_bias", TensorProto.FLOAT, ["batch", 1, 1, "length"]
            ),
        ],
        [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, ["batch", "length", dim])],
        g.constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    return Graph(model.SerializeToString(), g.arrays)


class Session:
    """An onnxruntime session on the graph, keeping alive the arrays it runs on."""

    def __init__(self, graph: Graph, threads: int = 1) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # idle threads sleep instead of spinning for the next message (as OpenBLAS's did)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        # onnxruntime reads these buffers for as long as the session lives; it does not copy them
        self._graph = graph
        self._values = {
            name: onnxruntime.OrtValue.ortvalue_from_numpy(array)
            for name, array in graph.arrays.items()
        }
        for name, value in self._values.items():
            options.add_initializer(name, value)
        self._session = onnxruntime.InferenceSession(
            graph.model, options, providers=["CPUExecutionProvider"]
        )

    def last_hidden_state(self, ids: np.ndarray, attention_bias: np.ndarray) -> np.ndarray:
        """[batch, length, hidden] for token ids [batch, length] and their attention bias."""
        inputs = {
            "input_ids": ids,
            "position_ids": np.arange(ids.shape[1], dtype=np.int64),
            "attention_bias": attention_bias,
        }
        return self._session.run([OUTPUT], inputs)[0]
