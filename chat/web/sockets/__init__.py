"""The two WebSocket endpoints: visitors and advisors."""
