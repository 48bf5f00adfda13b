"""Neuvo's storage: tables, migrations and async repositories. The only package that speaks SQL."""
