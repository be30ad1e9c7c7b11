"""Read a models.dev snapshot (a checkout folder or its tarball), map it to catalog facts and
merge it into a build.

Layout of the snapshot::

    providers/<provider>/provider.toml
    providers/<provider>/models/<model id>.toml     (ids with `/` are nested folders)
    models/<lab>/<model id>.toml                    canonical lab models

A provider-model file may be a symbolic link to another provider's file (the same model served
by both): it is read through the link and belongs to the provider whose folder holds the link.
Broken links, files without the `.toml` extension and files that do not parse are reported,
never dropped silently. `base_model = "<lab>/<id>"` makes the file inherit the canonical model
(deep merge), minus the dotted paths of `base_model_omit`.

Layout: :mod:`.snapshot` (the files: :func:`load_snapshot`), :mod:`.facts` (a model file's
catalog facts: :func:`map_model`, :func:`infer_kind`), :mod:`.providers` (a `provider.toml`:
:func:`map_provider`), :mod:`.merge` (the snapshot into a build: :func:`merge_into`).
"""

from llmaestro.catalog.importers.models_dev.facts import NOT_MODELLED, infer_kind, map_model
from llmaestro.catalog.importers.models_dev.merge import OMIT_PATHS, map_omit, merge_into
from llmaestro.catalog.importers.models_dev.providers import map_provider
from llmaestro.catalog.importers.models_dev.snapshot import (
    ModelFile,
    RawFile,
    Snapshot,
    load_snapshot,
    read_snapshot_files,
)

__all__ = [
    "NOT_MODELLED",
    "OMIT_PATHS",
    "ModelFile",
    "RawFile",
    "Snapshot",
    "infer_kind",
    "load_snapshot",
    "map_model",
    "map_omit",
    "map_provider",
    "merge_into",
    "read_snapshot_files",
]
