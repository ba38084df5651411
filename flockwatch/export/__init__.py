"""Exports: store tables and findings as CSV, Parquet or JSON, for people and other tools."""
