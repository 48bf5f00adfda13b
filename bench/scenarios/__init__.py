"""The scenarios of issue 15. Each module has its client processes' steps (async functions of a
bench.worker.Worker) and `run(harness)`, which measures the relay and Neuvo alike and returns
{"relay": figures, "neuvo": figures} (or a list of such, one per load)."""
