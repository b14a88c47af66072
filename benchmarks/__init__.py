"""Performance benchmarks: a synthetic corpus generator (``synth``) and the harness (``run``)."""
