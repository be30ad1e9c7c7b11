"""Identity resolution: which canonical model each offering is.

An offering is linked to its canonical model (``Offering.base``) by, in order of trust: a
hand-checked entry in ``data/manual/`` (``linked_by: manual``), a source's own link (models.dev
``base_model``: ``linked_by: source``), the canonical model's own id (``linked_by: id``), or a
normalisation rule of this package's rule table (``linked_by: rule:<name>``).

The package, in the order of the data flow:

* :mod:`~.rules` — the rule table (data) and the family → lab table;
* :mod:`~.normalise` — an offering id → its candidate ids and match keys;
* :mod:`~.index` — the canonical models by match key, and which one a candidate names;
* :mod:`~.families` — canonical models made from the offerings of a model several sell;
* :mod:`~.link` — :func:`link_offerings`, run inside an import
  (:mod:`llmaestro.catalog.importers.pipeline`) once every source and hand-authored file is
  merged and before the files are finished;
* :mod:`~.reasons` — why an offering is left unlinked;
* :mod:`~.goals` — the measured goals (linked share, well-known models, unknown context).
"""

from __future__ import annotations

from llmaestro.catalog.identity.link import link_offerings

__all__ = ["link_offerings"]
