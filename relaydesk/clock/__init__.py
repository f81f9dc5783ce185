"""The clock: escalation at the deadline, tickles, and the worker that runs them."""
