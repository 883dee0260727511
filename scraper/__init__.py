"""Crawling, the pipeline, the scheduler and the command line: ties parsers and storage together."""
