"""The local stack: the whole shop on one machine, built from the stack templates."""
