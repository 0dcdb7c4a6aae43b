"""Extraction: policy text in, typed records out (pure functions; the only I/O is reading input)."""
