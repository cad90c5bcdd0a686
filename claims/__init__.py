"""Claim tables: turn per-document extractions into deduplicated, conflict-flagged tables.

Pure pandas; no Prefect import. The table layout is declared once in :mod:`claims.schema`.
"""
