"""Where each page and API file of the site lives, and the relative URLs between them.

File names come from :func:`llmaestro.catalog.paths.encode_id`, so any id is a safe, portable
path; every link is relative, so the site works under any path.
"""

from __future__ import annotations

from urllib.parse import quote

from llmaestro.catalog.paths import encode_id

_SAFE = "/-_.~"


def provider_page(provider_id: str) -> str:
    """Path of a provider's page, from the site root (not URL-quoted)."""
    return f"providers/{encode_id(provider_id)}.html"


def model_page(ref: str) -> str:
    """Path of a canonical model's page (``lab/model``), from the site root."""
    return f"models/{encode_id(ref)}.html"


def provider_api_file(provider_id: str) -> str:
    return f"api/providers/{encode_id(provider_id)}.json"


#: element ids a provider page uses for itself (an offering named so gets a prefixed anchor)
PAGE_IDS = frozenset({"main", "offerings", "offerings-heading", "chart-t", "chart-d"})


def offering_anchor(model: str) -> str:
    """The element id of an offering's entry on its provider's page: the model id itself (a
    link quotes it where needed, see :func:`href`), unless the page uses that id or it holds
    white space (``offering-`` and its encoded form then)."""
    if model and model not in PAGE_IDS and not any(c.isspace() for c in model):
        return model
    return "offering-" + encode_id(model)


def href(path: str, anchor: str | None = None) -> str:
    """A relative URL for a site path (and fragment): encoded names never need more than
    quoting of ``^``, but quoting everything else keeps any path a valid URL."""
    url = quote(path, safe=_SAFE)
    return f"{url}#{quote(anchor, safe=_SAFE)}" if anchor else url


def root_of(path: str) -> str:
    """The relative URL of the site root from the page at ``path``."""
    return "../" * path.count("/")


def rel_api(path: str, anchor: str | None = None) -> str:
    """A URL of a site path (not quoted yet), relative to ``api/index.json``."""
    if path.startswith("api/"):
        return href(path[len("api/") :], anchor)
    return href("../" + path, anchor)
