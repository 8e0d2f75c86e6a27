"""The orders service: shoppers order products; admins see, ship, deliver and cancel orders."""
