"""The nianbao domain (see pipeline.py)."""
