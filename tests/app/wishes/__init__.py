"""Tests of wishes."""
