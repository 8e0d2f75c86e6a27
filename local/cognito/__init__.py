"""Cognito: the public API forwarded to the emulator, with what moto does not keep."""
