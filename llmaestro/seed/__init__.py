"""The seed module's registry APIs over the catalog: ``LLMRegistry`` (:mod:`.registry`) and
``ProviderRegistry`` with its ``Provider`` settings (:mod:`.providers`). The seed's import paths
``llmaestro.llm.llm_registry`` and ``llmaestro.llm.provider_registry`` re-export them."""
