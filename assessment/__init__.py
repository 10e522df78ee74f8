"""The web layer of Rekindle: blueprints, forms, models and charts (Flask)."""
