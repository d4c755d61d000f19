"""Tests of app.consultations."""
