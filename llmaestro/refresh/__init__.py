"""The refresh loop: what providers' APIs say, compared with the catalog, as minimal YAML edits
proposed one pull request per provider.

::

    detectors ─▶ observation ─▶ plan ─▶ editor ─▶ apply (validate on a copy, write, roll back)
                                  │                 └─▶ report ─▶ github (one pull request)
                                  └─ drift (DriftPlan and its records)
    run: one provider's run of the whole loop (``llmaestro detect``, scripts/refresh_catalog.py)

============================  ==================================================================
module                        owns
============================  ==================================================================
:mod:`.detectors`             one module per provider: fetch, parse, translate a model listing
:mod:`.observation`           what a listing said: observed offerings, dotted fact paths
:mod:`.registry`              the detector registry (built-ins and entry points)
:mod:`.seed`                  the seed's ``ModelCapabilityDetectorFactory``
:mod:`.drift`                 the drift plan and its records (changes, new, gone, guards)
:mod:`.plan`                  comparing an observation with the catalog: ``plan_drift``
:mod:`.editor`                the text of offering files: round-trip edits, new files
:mod:`.apply`                 validation on a staging copy, atomic writes, rollback
:mod:`.stage`                 the staging copy: what validating the edits reads, edits written in
:mod:`.report`                the Markdown report, the pull request title, the marker line
:mod:`.github`                pull requests through the GitHub REST API
:mod:`.run`                   one run: detect → compare → validate → report → apply or propose
============================  ==================================================================
"""
