"""Rekindle's benchmarks: figures, never assertions. Run with `make bench`."""
