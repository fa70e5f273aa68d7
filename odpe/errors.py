class TransitionError(Exception):
    """A move the current state does not allow; its message is a French sentence shown as is."""
