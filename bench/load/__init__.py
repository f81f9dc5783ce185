"""The measured load run (issue 18): `python -m bench.load --engine sqlite|postgres`."""
