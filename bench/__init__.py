"""Benchmarks: scripts that print figures (see bench/README.md); none is a test."""
