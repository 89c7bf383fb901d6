"""Moderator accounts: who may moderate, signing in and out."""
