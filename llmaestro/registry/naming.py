"""How a registry settles names: which offering a bare model id means, close names for a
miss (and the miss's error, with anything shaped like a key masked), and which provider's
rate-limit entry covers a model.

Functions over plain values (column lists, ids), kept apart from
:class:`~llmaestro.registry.core.Registry` so its lookups read as a sequence of steps.
"""

from __future__ import annotations

from llmaestro.errors import UnknownModelError, UnknownProviderError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Sequence

    from llmaestro._records import RateLimitTier


def lab_offering(
    candidates: Sequence[int],
    providers: Sequence[str],
    bases: Sequence[str | None],
    labs: Collection[str],
) -> int | None:
    """Of several offerings of one bare model id, the one its own lab sells: the one
    inheriting from a canonical model of its own provider, else the single one at a provider
    that is itself a lab (``labs``: the labs of the catalog's canonical models) and sells no
    other lab's model; None when that does not settle it."""
    for c in candidates:
        base = bases[c]
        if base and base.split("/", 1)[0] == providers[c]:
            return c
    first_party = [c for c in candidates if providers[c] in labs and not bases[c]]
    return first_party[0] if len(first_party) == 1 else None


def close_names(wanted: str, pool: Iterable[str]) -> list[str]:
    """Up to three names of ``pool`` close to ``wanted`` (for an unknown-name error)."""
    import difflib  # lazy: 1.6 ms at import (-X importtime); only a miss suggests

    return difflib.get_close_matches(wanted, list(pool), n=3, cutoff=0.5)


def shown(wanted: str) -> str:
    """``wanted`` as an error may show it: an API key passed where an id was meant
    (``get("sk-proj-…")``) is masked (:func:`llmaestro._http.redact.redact`), so it never
    comes back in a message, a log or a repr. A name shorter than the shortest key-like body
    (20 characters) holds no key and is returned as it is, without importing the masker."""
    if len(wanted) < 20:
        return wanted
    from llmaestro._http.redact import redact  # lazy: re and base64, only for a miss

    return redact(wanted)


def missing_model(ref: str, pool: Iterable[str]) -> UnknownModelError:
    """The error of a model id ``ref`` that ``pool`` does not hold, with close names."""
    return UnknownModelError(shown(ref), close_names(ref, pool))


def missing_offering(
    wanted: str, ids: Sequence[str], provider_ids: Collection[str]
) -> UnknownModelError:
    """The error of an offering id ``wanted`` that ``ids`` does not hold, with close names:
    of the named provider's offerings when ``wanted`` starts with a provider id."""
    head = wanted.split("/", 1)[0]
    pool = [x for x in ids if x.startswith(head + "/")] if head in provider_ids else ids
    return missing_model(wanted, pool)


def missing_provider(provider_id: str, pool: Iterable[str]) -> UnknownProviderError:
    """The error of a provider id that ``pool`` does not hold, with close names."""
    return UnknownProviderError(shown(provider_id), close_names(provider_id, pool))


def matching_tier(
    entries: Iterable[RateLimitTier], names: Collection[str], tier: str
) -> RateLimitTier | None:
    """The rate-limit entry of ``tier`` whose model patterns match one of ``names`` (an
    entry without patterns covers every model, and is the fallback); None when none does."""
    import fnmatch  # lazy: 0.2 ms at import (-X importtime); only rate limits need it

    fallback = None
    for entry in entries:
        if entry.tier != tier:
            continue
        if entry.models is None:
            fallback = fallback or entry
        elif any(fnmatch.fnmatchcase(n, p) for n in names for p in entry.models):
            return entry
    return fallback
