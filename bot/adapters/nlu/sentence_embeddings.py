"""Dense sentence features from a pretrained sentence encoder (bot/nlp/sentence_encoder.py).

Adds the message's L2-normalised embedding (384 numbers for all-MiniLM-L6-v2) as the dense
SENTENCE feature of TEXT, on the training data and on every message, and keeps the same
vector on the message under `SENTENCE_EMBEDDING_KEY` ("sentence_embedding", a read-only
float32 numpy array) so later components in the process reuse it without encoding again.

In config.yml (every option has this default; the hashes are checked when the encoder
loads, and a mismatch stops training or start-up with both hashes in the message):

    - name: bot.adapters.nlu.sentence_embeddings.SentenceEmbeddings
      model_dir: build/encoder/all-MiniLM-L6-v2     # made by `make encoder`
      model_file: model.safetensors
      tokenizer_file: tokenizer.json
      model_sha256: 53aa5117...                      # see bot/nlp/sentence_encoder.py
      tokenizer_sha256: be50c362...
      pooling: mean                                 # mean | cls | max
      sequence_features: false                      # true: word-piece vectors per token
      alias: sentence_embeddings

Another language's encoder (BERT family, sentence-transformers layout) is another entry
with its own model_dir, file names and hashes; no code changes.
"""

import hashlib
from typing import Any, Dict, List, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.sentence_encoder import (
    DEFAULT_MODEL_DIR,
    DEFAULT_MODEL_FILE,
    DEFAULT_MODEL_SHA256,
    DEFAULT_TOKENIZER_FILE,
    DEFAULT_TOKENIZER_SHA256,
    POOLING_MODES,
    SentenceEncoder,
    get_encoder,
)

# The message key holding the raw normalised embedding (np.ndarray [dim], float32, read-only).
SENTENCE_EMBEDDING_KEY = "sentence_embedding"


class Embedding(np.ndarray):
    """The stored embedding: a plain float32 array with a cheap `fingerprint()`, so Rasa's
    training-data fingerprint hashes its bytes instead of printing it (about 2 ms each)."""

    def fingerprint(self) -> Text:
        return hashlib.sha256(np.ascontiguousarray(self).tobytes()).hexdigest()


ENCODER_OPTIONS = (
    "model_file",
    "tokenizer_file",
    "model_sha256",
    "tokenizer_sha256",
    "pooling",
)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddings(DenseFeaturizer, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["tokenizers", "safetensors"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "model_dir": DEFAULT_MODEL_DIR,
            "model_file": DEFAULT_MODEL_FILE,
            "tokenizer_file": DEFAULT_TOKENIZER_FILE,
            "model_sha256": DEFAULT_MODEL_SHA256,
            "tokenizer_sha256": DEFAULT_TOKENIZER_SHA256,
            "pooling": "mean",
            # Rasa needs no sequence features next to these sentence features; true adds
            # each token's word-piece vectors (mean), for DIET's entity recognition
            "sequence_features": False,
        }

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        # loaded once per process and configuration, hashes verified: fails at start-up
        self.encoder: SentenceEncoder = get_encoder(
            self._config["model_dir"], **{key: self._config[key] for key in ENCODER_OPTIONS}
        )

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config.get("pooling") not in POOLING_MODES:
            raise InvalidConfigException(
                f"SentenceEmbeddings: pooling must be one of {POOLING_MODES}, "
                f"not {config.get('pooling')!r}"
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        if self._config["sequence_features"]:
            self.process(messages)
            return training_data
        vectors = self.encoder.encode_batch([m.get(TEXT) for m in messages])
        vectors.flags.writeable = False
        for message, vector in zip(messages, vectors, strict=True):
            self._set_features(message, vector, None)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            sequence = None
            if self._config["sequence_features"]:
                sequence = self._token_features(message, text)
            self._set_features(message, self.encoder.encode(text), sequence)
        return messages

    def _set_features(
        self, message: Message, vector: np.ndarray, sequence: np.ndarray | None
    ) -> None:
        message.set(SENTENCE_EMBEDDING_KEY, vector.view(Embedding))
        # Rasa gets its own (writable, plain) copy of the vector as a [1, dim] matrix
        self.add_features_to_message(sequence, np.array(vector[None, :]), TEXT, message)

    def _token_features(self, message: Message, text: Text) -> np.ndarray | None:
        """One row per Rasa token: the mean of the word pieces it covers (zeros if none,
        e.g. past the encoder's maximum length)."""
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        if not tokens:
            return None
        pieces, offsets = self.encoder.token_vectors(text)
        rows = np.zeros((len(tokens), self.encoder.dim), dtype=np.float32)
        for row, token in enumerate(tokens):
            covered = [i for i, (s, e) in enumerate(offsets) if s < token.end and e > token.start]
            if covered:
                rows[row] = pieces[covered].mean(axis=0)
        return rows
