"""The lab AWS: moto's server with the project's extensions, its lifecycle and its clients."""
