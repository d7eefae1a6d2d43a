"""The client's resources, one module each: ``client.images`` and ``client.chat``."""
