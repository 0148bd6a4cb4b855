"""Names of currencies ("US Dollar", "Swiss Franc", "Turkish Lira"), from pycountry's ISO 4217
table: financial news writes them capitalised ("the U.S. Dollar remained the predominant
borrowing currency") and the model takes them for organisations, though a currency is no
person, organisation or place."""

from __future__ import annotations

from functools import cache


@cache
def currency_names() -> frozenset[str]:
    """The folded names of two words or more of every current currency: a one-word name
    ("Rand", "Sol", "Leone", "Won") is too often a person's or a word to be read as money."""
    import pycountry

    from searchlib.entities.aliases import fold_name

    return frozenset(
        fold_name(currency.name)
        for currency in pycountry.currencies
        if len(currency.name.split()) > 1 and "(" not in currency.name
    )
