"""Pure text -> mentions and claims stage of symptom-claims (no Prefect import here).

The spaCy pipeline is assembled in :mod:`extractors.pipeline`; each component lives in
its own module and is registered with ``@Language.factory``.
"""
