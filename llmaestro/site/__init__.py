"""The catalog site: static HTML pages and JSON API files rendered from a registry.

``llmaestro site build OUT/`` (:mod:`llmaestro.cli.site`) calls :func:`build_site`. Nothing in
the output loads anything from the network: one CSS file, one small script, inline SVG charts.
"""

from __future__ import annotations

from llmaestro._optional import require_extras

require_extras("the catalog site (llmaestro site build)", "site")

from llmaestro.site.build import SiteBuild, SiteError, build_site  # noqa: E402 - after the check

__all__ = ["SiteBuild", "SiteError", "build_site"]
