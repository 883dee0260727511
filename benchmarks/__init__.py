"""Extraction benchmark: the project's parser against trafilatura and newspaper4k.

Measures only; the real pages stay in ../shared/datasets and are never copied here.
"""
