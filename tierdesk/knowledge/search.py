"""Chinese and English full-text search, the same on SQLite and PostgreSQL.

Neither database segments Chinese, so the application does: rjieba cuts the text into words,
the search dictionary (SearchTerm rows) keeps product and fault terms whole and maps synonyms
to one canonical term, and the index stores the words joined by spaces. SQLite indexes them in
an FTS5 `unicode61` table ranked by bm25; PostgreSQL in a `to_tsvector('simple', ...)` column
with a GIN index ranked by ts_rank_cd. The same words are produced for a query, so a field
engineer's 掉线 finds an article that says 离线.

An index is a table of (object id, title, symptom, body): title is weighted highest, then the
symptom, then the body. Any model can be indexed; articles and cases are (see ARTICLES, CASES).
Highlighting is done here in Python from the same segmentation, so it is identical on both
databases and always escapes the text before marking it.
"""

import re
import threading
from dataclasses import dataclass

import rjieba
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD_PIECE = re.compile(r"\w+")
# Words so common in support text that requiring them would only lose results.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "吗",
        "呢",
        "啊",
        "把",
        "被",
        "就",
        "都",
        "也",
        "还",
        "又",
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "is",
    ]
)
SNIPPET_BEFORE = 30  # characters of context before the first match
SNIPPET_LENGTH = 120


@dataclass(frozen=True)
class SearchIndex:
    """One full-text index table; its rows are keyed by the indexed object's id."""

    table: str


ARTICLES = SearchIndex("knowledge_article_index")
CASES = SearchIndex("knowledge_case_index")
INDEXES = [ARTICLES, CASES]

# bm25 weights of the columns (title, symptom, body) on SQLite; PostgreSQL uses the labels
# A, B and D, which ts_rank_cd weighs 1.0, 0.4 and 0.1 by default.
SQLITE_WEIGHTS = "10.0, 4.0, 1.0"


# --- segmentation --------------------------------------------------------------------------


class Vocabulary:
    """rjieba with the dictionary's terms added, and the synonym map."""

    def __init__(self, terms: list[tuple[str, str]]):
        # terms: (term, canonical term or "" for a canonical one)
        self.jieba = rjieba.Jieba()
        self.synonyms: dict[str, str] = {}
        for term, canonical in terms:
            # A high frequency makes jieba prefer the whole term over its pieces.
            self.jieba.add_word(term, 100000, None)
            if canonical:
                self.synonyms[term.lower()] = canonical.lower()

    def canonical(self, word: str) -> list[str]:
        """The index words for one segmented word: lower-cased, synonym replaced, split at
        punctuation (FSU-3000 → fsu, 3000), stopwords dropped."""
        word = word.strip().lower()
        word = self.synonyms.get(word, word)
        return [piece for piece in WORD_PIECE.findall(word) if piece not in STOPWORDS]

    def words(self, text: str) -> list[str]:
        """Every index word of a text, with the shorter words inside long ones (蓄电池电压 →
        蓄电池, 电压, ...) so a query for part of a compound still matches."""
        result = []
        for word in self.jieba.cut(text or ""):
            result.extend(self.canonical(word))
            # A synonym stands for its canonical term only: the pieces of 摄像头 are not IPC's.
            if len(word) > 2 and word.strip().lower() not in self.synonyms:
                for sub in self.jieba.cut_for_search(word):
                    if sub != word:
                        result.extend(self.canonical(sub))
        return result

    def pieces(self, text: str) -> list[str]:
        """The text cut into consecutive pieces that join back into it exactly."""
        return list(self.jieba.cut(text or ""))

    def matches(self, piece: str, wanted: set[str]) -> bool:
        if any(word in wanted for word in self.canonical(piece)):
            return True
        # A dictionary compound (蓄电池电压) is one piece; a query may name a word inside it.
        return len(piece) > 2 and any(
            word in wanted
            for sub in self.jieba.cut_for_search(piece)
            for word in self.canonical(sub)
        )


_cache = threading.local()


def vocabulary() -> Vocabulary:
    """The current vocabulary, rebuilt when the dictionary changed (a cheap aggregate query),
    so an edit in the admin takes effect in every worker process without a restart."""
    from tierdesk.knowledge.models import SearchTerm

    stamp = tuple(SearchTerm.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
    cached = getattr(_cache, "vocabulary", None)
    if cached is None or cached[0] != stamp:
        terms = [
            (term, canonical or "")
            for term, canonical in SearchTerm.objects.values_list("term", "synonym_of__term")
        ]
        cached = (stamp, Vocabulary(terms))
        _cache.vocabulary = cached
    return cached[1]


def query_words(query: str, vocab: Vocabulary | None = None) -> list[str]:
    """The distinct index words of a query, in order."""
    vocab = vocab or vocabulary()
    return list(dict.fromkeys(vocab.words(query)))


# --- index maintenance ---------------------------------------------------------------------


def _joined(vocab: Vocabulary, text: str) -> str:
    return " ".join(vocab.words(text))


def put_document(index: SearchIndex, *, pk: int, title: str, symptom: str, body: str) -> None:
    """Write one object's index row; call it in the transaction that changes the object."""
    vocab = vocabulary()
    values = [_joined(vocab, title), _joined(vocab, symptom), _joined(vocab, body)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {index.table} (object_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D')) "
                "ON CONFLICT (object_id) DO UPDATE SET document = EXCLUDED.document",
                [pk, *values],
            )
        else:
            cursor.execute(f"DELETE FROM {index.table} WHERE rowid = %s", [pk])
            cursor.execute(
                f"INSERT INTO {index.table} (rowid, title, symptom, body) VALUES (%s, %s, %s, %s)",
                [pk, *values],
            )


def remove_document(index: SearchIndex, *, pk: int) -> None:
    column = "object_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.table} WHERE {column} = %s", [pk])


# --- querying ------------------------------------------------------------------------------


def _fts5_query(words: list[str], operator: str) -> str:
    # Each word quoted, so FTS5 syntax characters in user input are plain text.
    return f" {operator} ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def _tsquery(words: list[str], operator: str) -> str:
    quoted = ["'{}'".format(word.replace("\\", "\\\\").replace("'", "''")) for word in words]
    return f" {operator} ".join(quoted)


def ranked_ids(
    index: SearchIndex, candidates: QuerySet, words: list[str], *, limit: int, offset: int = 0
) -> list[tuple[int, float]]:
    """(id, score) of the candidates matching the words, best first.

    `candidates` already carries the searcher's visibility and the filters; it becomes a
    subquery, so ranking, permissions and filters are one SQL statement. Every word must match;
    when nothing matches them all, any word may, ranked by how well.
    """
    if not words:
        return []
    try:
        sub_sql, sub_params = candidates.values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): nobody to search among
        return []
    for all_words in (True, False):
        if connection.vendor == "postgresql":
            sql = (
                f"SELECT i.object_id, ts_rank_cd(i.document, q.query) AS score "
                f"FROM {index.table} i, to_tsquery('simple', %s) AS q(query) "
                f"WHERE i.document @@ q.query AND i.object_id IN ({sub_sql}) "
                "ORDER BY score DESC, i.object_id DESC LIMIT %s OFFSET %s"
            )
            params = [_tsquery(words, "&" if all_words else "|"), *sub_params, limit, offset]
        else:
            sql = (
                f"SELECT rowid, bm25({index.table}, {SQLITE_WEIGHTS}) AS score "
                f"FROM {index.table} WHERE {index.table} MATCH %s AND rowid IN ({sub_sql}) "
                "ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
            )
            params = [_fts5_query(words, "AND" if all_words else "OR"), *sub_params, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            # bm25 is better when lower; report a score that is better when higher everywhere.
            rows = [(pk, abs(float(score))) for pk, score in cursor.fetchall()]
        if rows or len(words) == 1:
            return rows
    return []


def search(index: SearchIndex, candidates: QuerySet, query: str, *, limit: int = 50) -> list:
    """The candidate objects matching the query, best first, each with `.score`."""
    ranked = ranked_ids(index, candidates, query_words(query), limit=limit)
    objects = candidates.in_bulk([pk for pk, _score in ranked])
    results = []
    for pk, score in ranked:
        obj = objects[pk]
        obj.score = score
        results.append(obj)
    return results


# --- highlighting --------------------------------------------------------------------------


class Highlighter:
    """Marks a query's words in texts; build one per query and use it for every result."""

    def __init__(self, query: str):
        self.vocab = vocabulary()
        self.wanted = set(query_words(query, self.vocab))

    def _marked(self, pieces: list[str]) -> set[int]:
        if not self.wanted:
            return set()
        return {i for i, piece in enumerate(pieces) if self.vocab.matches(piece, self.wanted)}

    def highlight(self, text: str) -> SafeString:
        """The whole text, escaped, with the words the query matched in <mark>."""
        pieces = self.vocab.pieces(text)
        return _joined_pieces(pieces, self._marked(pieces), 0, len(pieces))

    def snippet(self, texts: list[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
        """A short escaped extract around the first match in the first text that has one,
        matches in <mark>; the start of the first non-empty text when nothing matches."""
        for text in texts:
            pieces = self.vocab.pieces(text)
            hits = self._marked(pieces)
            if hits:
                return _window(pieces, hits, first=min(hits), length=length)
        first = next((text for text in texts if text), "")
        return mark_safe(escape(first[:length]) + ("…" if len(first) > length else ""))


def highlight(text: str, query: str) -> SafeString:
    return Highlighter(query).highlight(text)


def snippet(texts: list[str], query: str, *, length: int = SNIPPET_LENGTH) -> SafeString:
    return Highlighter(query).snippet(texts, length=length)


def _joined_pieces(pieces: list[str], hits: set[int], start: int, end: int) -> SafeString:
    # Each piece is escaped on its own before any <mark> is added around it.
    parts = [
        f"<mark>{escape(pieces[i])}</mark>" if i in hits else str(escape(pieces[i]))
        for i in range(start, end)
    ]
    return mark_safe("".join(parts))


def _window(pieces: list[str], hits: set[int], *, first: int, length: int) -> SafeString:
    start, before = first, 0
    while start > 0 and before + len(pieces[start - 1]) <= SNIPPET_BEFORE:
        start -= 1
        before += len(pieces[start])
    end, used = start, 0
    while end < len(pieces) and used < length:
        used += len(pieces[end])
        end += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(pieces) else ""
    body = _joined_pieces(pieces, hits, start, end).replace("\n", " ")
    return mark_safe(prefix + body + suffix)
