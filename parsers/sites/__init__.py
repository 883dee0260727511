"""Site parsers: one module per site, each importing `register` and claiming its hosts.

A module is listed here explicitly so the registry holds exactly what this file names;
`newsarchive parser new HOST` adds the line for a new site.
"""

from parsers.sites import centcom_mil, mil_gov_ua, rnamedia_in

__all__ = ["centcom_mil", "mil_gov_ua", "rnamedia_in"]
