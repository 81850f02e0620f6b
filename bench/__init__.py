"""Reproducible benchmarks: synthetic corpora, the graph load and the alignment at scale."""
