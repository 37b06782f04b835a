"""Offline evaluation and tuning: judgments, runs, metrics, statistics, reports."""
