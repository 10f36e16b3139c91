"""The report of the default model is built once per test session: the fixtures
``report_sections``, ``written_report`` and ``rendered_report`` live in tests/conftest.py (the CLI's
tests share them)."""
