"""The catalogue's listing indexes on the Products table, which the products service writes
and both the products and partners services read. Pure: the repositories and the tests'
in-memory tables read the same definitions.

    index        partition key        sort key
    ByName       catalogue = "all"    name_key
    ByCreation   catalogue = "all"    created_key
    ByWord       word_prefix          name_key (a search by any word of the name)

Names and searches are compared case-folded and composed (Unicode's NFC: `name_key`,
`name_words`), whichever form a name was stored in; a word's marks (vowel signs, viramas,
accents with no composed form) are part of it.

A product's word items sit beside it in the same table, one per prefix of each of its first
MAX_INDEXED_WORDS words (up to PREFIX_LENGTH characters), keyed `{product_id}#{prefix}`: a
search Queries the `ByWord` partition of its longest word's prefix, by name, and filters on
the product's words (`words_key`) for the rest. They carry no `catalogue`, so the other
listings never see them, and are written in the same transaction as the product.
"""

import unicodedata
from datetime import UTC, datetime
from typing import Any

from shop_common.pagination import Listing
from shop_common.text import JOINERS

BY_NAME_INDEX = "ByName"
BY_CREATION_INDEX = "ByCreation"
CATALOGUE = "catalogue"
CATALOGUE_VALUE = "all"
NAME_KEY = "name_key"
CREATED_KEY = "created_key"
BY_WORD_INDEX = "ByWord"
WORD_PREFIX = "word_prefix"
WORD_OF = "word_of"
WORDS_KEY = "words_key"
# At most 8 words x 6 prefixes = 48 word items: a rename deletes and puts at most 96, which
# with the product itself fits one TransactWriteItems (100 items).
MAX_INDEXED_WORDS = 8
PREFIX_LENGTH = 6
_TABLE_KEY = ("product_id",)


def _folded(text: str) -> str:
    """`text` as the catalogue compares it: case-folded as Unicode's canonical caseless
    match does it (decomposed, then folded), then composed (NFC), so an accented letter
    typed as one character or as a letter and its accent is one letter, whichever form a
    name was stored in."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold())


def name_key(name: str) -> str:
    """A name as the catalogue sorts and searches it: case-folded, composed, single-spaced."""
    return " ".join(_folded(name).split())


def name_words(text: str) -> list[str]:
    """The words of a name or a search, case-folded and composed, each once, in order."""
    return list(dict.fromkeys(_words(_folded(text))))


def _words(text: str) -> list[str]:
    """The words of `text`: letters and digits, each with the marks that follow it (the
    vowel signs and viramas of Indic and Thai scripts, the vowel marks of Arabic and Hebrew,
    the accents NFC has no one character for); spaces, punctuation and underscores split
    words, and a joiner inside a word is left out."""
    words: list[str] = []
    word = ""
    for char in text:
        if char.isalnum() or (word and unicodedata.category(char).startswith("M")):
            word += char
        elif word and char not in JOINERS:
            words.append(word)
            word = ""
    return [*words, word] if word else words


def words_key(name: str) -> str:
    """Every word of a name, each after a space: a search word `w` is a prefix of one of
    them exactly when `" " + w` is in it."""
    return "".join(f" {word}" for word in name_words(name))


def word_items(product_id: str, name: str) -> list[dict[str, Any]]:
    """The `ByWord` items of a product named `name`."""
    prefixes = dict.fromkeys(
        word[:length]
        for word in name_words(name)[:MAX_INDEXED_WORDS]
        for length in range(1, min(len(word), PREFIX_LENGTH) + 1)
    )
    common = {WORD_OF: product_id, NAME_KEY: name_key(name), WORDS_KEY: words_key(name)}
    return [
        {"product_id": f"{product_id}#{prefix}", WORD_PREFIX: prefix, **common}
        for prefix in prefixes
    ]


def created_key(moment: datetime) -> str:
    """When a product was created, to the microsecond, as the newest-first listing sorts
    it (`created_at` is to the second: products created in the same second would tie)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def by_name(name: str) -> Listing:
    """The catalogue by name; `name` tells this listing's cursors from every other's."""
    return _catalogue(name, BY_NAME_INDEX, NAME_KEY)


def by_word(name: str, search: str) -> Listing:
    """The products with a word starting with each word of `search`, by name: the index
    reads the partition of its longest word's prefix, and a filter keeps the products with
    every word (`search` has at least one word)."""
    words = name_words(search)
    longest = max(words, key=len)
    return Listing(
        name=name,
        index=BY_WORD_INDEX,
        partition_key=WORD_PREFIX,
        partition_value=longest[:PREFIX_LENGTH],
        sort_key=NAME_KEY,
        table_key=_TABLE_KEY,
        contains=tuple(
            (WORDS_KEY, f" {word}") for word in words if word != longest[:PREFIX_LENGTH]
        ),
    )


def newest_first(name: str) -> Listing:
    return _catalogue(name, BY_CREATION_INDEX, CREATED_KEY, descending=True)


def _catalogue(name: str, index: str, sort_key: str, *, descending: bool = False) -> Listing:
    return Listing(
        name=name,
        index=index,
        partition_key=CATALOGUE,
        partition_value=CATALOGUE_VALUE,
        sort_key=sort_key,
        table_key=_TABLE_KEY,
        descending=descending,
    )
