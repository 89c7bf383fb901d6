"""The tour: its stops as loaded from tour.toml, their pages and calendar events."""
