"""Text as the library compares it: names and aliases match ignoring case and accents."""

import unicodedata


def normalize(text: str) -> str:
    """Lower case, accents stripped, spaces collapsed: "Chloé's  RDL" → "chloe's rdl"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
