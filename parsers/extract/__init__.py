"""The generic extractor: one module per field cascade, composed in `generic`."""
