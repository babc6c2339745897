"""bptrack: track the follow-up commitments of Bali Process meetings."""

__version__ = "0.1.0"
