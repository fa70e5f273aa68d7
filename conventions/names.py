"""A partner's name in a French sentence: « le Centre hospitalier », « du Centre hospitalier », « de l'ARS ».

Pure functions on strings: the model keeps the article apart from the name, and these put them together.
"""

ARTICLES = ("le", "la", "l'", "les")
_OF = {"le": "du ", "la": "de la ", "l'": "de l'", "les": "des "}
_TO = {"le": "au ", "la": "à la ", "l'": "à l'", "les": "aux "}
_VOWELS = "aeiouyàâäéèêëîïôöùûü"


def split_article(name: str) -> tuple[str, str]:
    """« L'Agence régionale de santé » → ("l'", "Agence régionale de santé"); no article → ("", name)."""
    text = name.strip().replace("’", "'")
    for article in ARTICLES:
        prefix = article if article.endswith("'") else article + " "
        if text.lower().startswith(prefix) and len(text) > len(prefix):
            rest = text[len(prefix) :].lstrip()
            return article, rest[:1].upper() + rest[1:]
    return "", name.strip()


def with_article(article: str, name: str) -> str:
    """« le Centre hospitalier », « l'ARS », or the name alone when it takes no article."""
    if not article:
        return name
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def of_name(article: str, name: str) -> str:
    """« du Centre hospitalier », « de la CAF », « de l'ARS », « des Centres », « d'Enedis », « de Saint-Étienne »."""
    if article:
        return _OF[article] + name
    return ("d'" if name[:1].lower() in _VOWELS else "de ") + name


def to_name(article: str, name: str) -> str:
    """« au Centre hospitalier », « à la CAF », « à l'ARS », « aux Centres », « à Enedis »."""
    return _TO[article] + name if article else f"à {name}"
