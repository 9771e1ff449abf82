"""The HTTP layer: thin handlers over `service.domain`."""
