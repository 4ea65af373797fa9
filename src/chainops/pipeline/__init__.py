"""The pipeline package: its shared event contract."""
