"""Site parsers: one module per site, each importing `register` and claiming its hosts.

A module is listed here explicitly so the registry holds exactly what this file names.
"""
