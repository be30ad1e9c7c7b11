"""Identity resolution: which canonical model each offering is.

An offering is linked to its canonical model (``Offering.base``) by, in order of trust: a
hand-checked entry in ``data/manual/`` (``linked_by: manual``), a source's own link (models.dev
``base_model``: ``linked_by: source``), the canonical model's own id (``linked_by: id``), or a
normalisation rule of this package's rule table (``linked_by: rule:<name>``).

:func:`link_offerings` runs inside an import (:mod:`llmaestro.catalog.importers.pipeline`) once
every source and hand-authored file is merged and before the files are finished.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from llmaestro.catalog.importers.builder import Builder


def link_offerings(builder: Builder) -> None:
    """Create the canonical models the sources lack and link every offering it can."""
