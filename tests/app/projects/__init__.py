"""Tests of 微实事 projects (app/projects)."""
