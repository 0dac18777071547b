"""Snapshots to ARI JSON models."""
