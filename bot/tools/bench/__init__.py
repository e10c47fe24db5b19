"""Benchmarks: REST reply time, start-up time, what the sentence embeddings cost."""
