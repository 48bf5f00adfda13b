"""Tests of the pure routing core."""
