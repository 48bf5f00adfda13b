"""What every layer of the service may use: settings, the clock, metrics, rate limits, logging,
token digests. Imports nothing else of `chat`."""
