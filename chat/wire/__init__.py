"""The wire format of PROTOCOL.md: incoming frames decoded into typed values (`incoming`),
outgoing frames built and encoded (`outgoing`), and the error tree with its wire codes
(`errors`). Imports only `chat.base` and storage's row types."""
