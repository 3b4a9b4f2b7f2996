"""Turn messy source values into Posting contract values.

Every normaliser accepts anything and returns None (never raises) when it cannot make sense of it.
"""
