"""The clerk's page at `/` and its static assets, served by the service itself (no CDN)."""
