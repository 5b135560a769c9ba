"""The Python side of tensornet's wire interop run against the reference bittensor SDK (see ../README.md)."""
