"""Find the knowledge-base topics closest to a question the classifier was unsure about.

BM25 (the bm25s library) over, for each topic, the patient questions in the NLU data
and the knowledge-base answers; a topic scores as its best-matching document.
"""

from __future__ import annotations

from dataclasses import dataclass

import bm25s

from bot.language import language_cues

# Below this BM25 score a topic is not offered: the words in common are too few.
MIN_SCORE = 1.5


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    score: float


class TopicSearch:
    def __init__(self, documents: list[tuple[str, str]]):
        """documents: (topic, text) pairs."""
        self._topics = [topic for topic, _ in documents]
        self._retriever = bm25s.BM25()
        # nothing to search (a database loaded without example questions): nothing is close
        if documents:
            self._retriever.index(_tokenize([text for _, text in documents]), show_progress=False)

    @classmethod
    def from_sources(
        cls, examples: dict[str, list[str]], answers: list[tuple[str, str]]
    ) -> TopicSearch:
        """examples: example questions by topic; answers: (topic, answer text) pairs.

        Only topics a person can ask about (example questions of an ask_<topic> intent) are
        offered; red-flag and personal-advice answers are given by their own actions.
        """
        documents = [(topic, text) for topic, texts in examples.items() for text in texts]
        askable = {topic for topic, _ in documents}
        return cls(documents + [(topic, text) for topic, text in answers if topic in askable])

    def closest(self, query: str, limit: int = 3, min_score: float = MIN_SCORE) -> list[TopicMatch]:
        tokens = _tokenize([query])
        if not tokens.vocab or not self._topics:
            return []
        k = min(len(self._topics), 50)
        indices, scores = self._retriever.retrieve(tokens, k=k, show_progress=False)
        best: dict[str, float] = {}
        for index, score in zip(indices[0], scores[0], strict=True):
            topic = self._topics[int(index)]
            if score >= min_score and score > best.get(topic, 0.0):
                best[topic] = float(score)
        ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
        return [TopicMatch(topic, score) for topic, score in ranked[:limit]]


def _tokenize(texts: list[str]):
    """Words, without the language's stop words (knowledge/language/<code>.yml: search)."""
    stop_words = list(language_cues().stop_words)
    return bm25s.tokenize(texts, stopwords=stop_words, show_progress=False)
