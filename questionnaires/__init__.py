"""Questionnaire definitions (YAML) and their validating loader."""
