"""searchlib's benchmark against its peers: ``python -m bench`` (see docs/benchmark.md)."""
