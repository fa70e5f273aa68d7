class TransitionError(Exception):
    """A move the current state does not allow; its message is a translated sentence shown as is."""
