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

Ranking is the same on both databases: each query word weighs by its rarity (how many rows
hold it) times where it is found (title, symptom, rest), a compound and its parts count once,
and rows holding every word come alone when there are any. A mistyped character in a
dictionary term is put right before searching (蓄电驰 → 蓄电池), codes and versions are also
indexed whole (E-203, V2.3), and a search says whether its best result answers the query at all
(`is_confident`), so a question the knowledge base does not cover gets no confident answer.
"""

import html
import itertools
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import rjieba
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WORD_PIECE = re.compile(r"\w+")
# Codes and versions written with punctuation (E-203, V2.3, R48-3000) are also indexed joined
# (e203, v23, r483000), so a query naming one does not match its neighbours (V2.1, E-204).
CODE = re.compile(r"[A-Za-z0-9]+(?:[.\-_/:][A-Za-z0-9]+)+")
# A long number inside a model name (485 of RS485, 7816 of DS-7816N) is how people often name it.
MODEL_NUMBER = re.compile(r"(?<=[a-z])\d{3,}|\d{3,}(?=[a-z])")
CJK = re.compile(r"^[\u4e00-\u9fff]+$")
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
        # Question and filler words of typed queries: they say how, not what.
        "怎么",
        "怎么办",
        "怎么回事",
        "什么",
        "为什么",
        "请问",
        "如何",
        "一直",
        "老是",
        "总是",
        "还是",
        "但是",
        "就是",
        "已经",
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
        self.terms: set[str] = set()  # the index words of the canonical terms
        # A Chinese term with one character blanked → the term, to correct a wrong character.
        self.near_terms: dict[str, set[str]] = {}
        for term, canonical in terms:
            # A high frequency makes jieba prefer the whole term over its pieces.
            self.jieba.add_word(term, 100000, None)
            if canonical:
                self.synonyms[term.lower()] = canonical.lower()
            else:
                self.terms.update(WORD_PIECE.findall(term.lower()))
            # Only canonical terms: a colloquial synonym is too near everyday words (拨不上).
            if not canonical and len(term) >= 2 and CJK.match(term):
                for i in range(len(term)):
                    self.near_terms.setdefault(term[:i] + "?" + term[i + 1 :], set()).add(term)
        self.term_lengths = sorted({len(key) for key in self.near_terms}, reverse=True)
        # Terms of several English words (video loss) are not cut whole by jieba: they are
        # replaced by their canonical term before cutting.
        phrases = sorted((t for t, _c in terms if " " in t.strip()), key=len, reverse=True)
        self.phrases = (
            re.compile("|".join(re.escape(p.strip()) for p in phrases), re.IGNORECASE)
            if phrases
            else None
        )

    def canonical(self, word: str) -> list[str]:
        """The index words for one segmented word: lower-cased, synonym replaced, split at
        punctuation (FSU-3000 → fsu, 3000), stopwords dropped."""
        word = word.strip().lower()
        word = self.synonyms.get(word, word)
        pieces = [piece for piece in WORD_PIECE.findall(word) if piece not in STOPWORDS]
        return pieces + [number for piece in pieces for number in MODEL_NUMBER.findall(piece)]

    def words(self, text: str) -> list[str]:
        """Every index word of a text, with the shorter words inside long ones (蓄电池电压 →
        蓄电池, 电压, ...) so a query for part of a compound still matches."""
        result = []
        if self.phrases:
            text = self.phrases.sub(lambda m: self.synonyms.get(m.group().lower(), m.group()), text)
        for word in self.jieba.cut(text or ""):
            result.extend(self.canonical(word))
            # A synonym stands for its canonical term only: the pieces of 摄像头 are not IPC's.
            if len(word) > 2 and word.strip().lower() not in self.synonyms:
                for sub in self.jieba.cut_for_search(word):
                    if sub != word:
                        result.extend(self.canonical(sub))
        result.extend(re.sub(r"\W|_", "", code).lower() for code in CODE.findall(text or ""))
        return result

    def corrected(self, query: str, support: Callable[[str, list[str]], int] | None = None) -> str:
        """The query with a mistyped character in a dictionary term put right (蓄电驰 →
        蓄电池, 云抬 → 云台): a stretch that is no word, one character away from exactly one
        term. The stretch must begin and end where the segmentation cut, so no word is
        split (水浸告警 is not 误告警), and must not be a word itself, or 电源 would be
        "corrected" to 电压. `support(term, words)` counts the rows holding the term and any of
        the query's other words: the term with most wins (交换机还路 is 环路, not 旁路), and
        none when none has any (快递寄件 is not about 固件)."""
        cuts, position = {0}, 0
        for piece in self.jieba.cut(query):
            position += len(piece)
            cuts.add(position)
        text = query
        for length in self.term_lengths:
            for start in range(len(text) - length + 1):
                window = text[start : start + length]
                if not CJK.match(window) or self.jieba.has_word(window):
                    continue
                if start not in cuts or start + length not in cuts:
                    continue
                terms = set().union(
                    *(
                        self.near_terms.get(window[:i] + "?" + window[i + 1 :], set())
                        for i in range(length)
                    )
                )
                if not terms:
                    continue
                rest = self.words(text[:start] + " " + text[start + length :])
                if support is None:
                    chosen = terms.pop() if len(terms) == 1 else None
                else:
                    backing = {term: support(term, rest) for term in sorted(terms)}
                    chosen = max(backing, key=backing.get)
                    chosen = chosen if backing[chosen] else None
                if chosen:
                    text = text[:start] + chosen + text[start + length :]
        return text

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


# How long a process trusts its dictionary before asking the database whether it changed.
VOCABULARY_CHECK_SECONDS = 2.0
_recheck = [0]  # bumped to make every thread ask at its next search
_clock = time.monotonic  # of the dictionary's checks and the word counts' lifetime


def recheck_dictionary() -> None:
    """Make the next search of every thread of this process compare its dictionary with the
    database's (a term saved or deleted here is used at once, not seconds later)."""
    _recheck[0] += 1


def vocabulary() -> Vocabulary:
    """The current vocabulary, rebuilt when the dictionary changed (a cheap aggregate query,
    asked at most every VOCABULARY_CHECK_SECONDS), so an edit in the admin takes effect in
    every worker process within seconds, without a restart."""
    from tierdesk.knowledge.models import SearchTerm

    cached = getattr(_cache, "vocabulary", None)
    now = _clock()
    if (
        cached is not None
        and cached.checked_for == _recheck[0]
        and now - cached.checked_at < VOCABULARY_CHECK_SECONDS
    ):
        return cached.vocabulary
    stamp = (
        connection.settings_dict["NAME"],
        *SearchTerm.objects.aggregate(n=Count("id"), last=Max("updated_at")).values(),
    )
    if cached is None or cached.stamp != stamp:
        terms = [
            (term, canonical or "")
            for term, canonical in SearchTerm.objects.values_list("term", "synonym_of__term")
        ]
        cached = _CachedVocabulary(stamp, Vocabulary(terms), 0.0, 0)
    _cache.vocabulary = _CachedVocabulary(cached.stamp, cached.vocabulary, now, _recheck[0])
    return cached.vocabulary


@dataclass(frozen=True)
class _CachedVocabulary:
    stamp: tuple
    vocabulary: Vocabulary
    checked_at: float
    checked_for: int


SUPPORT_ROWS = 200


def corrected(query: str, vocab: Vocabulary | None = None, index: SearchIndex | None = None) -> str:
    """The query with a mistyped character in a dictionary term put right (see
    Vocabulary.corrected); with an index, only into a term found there with the query's other
    words."""
    vocab = vocab or vocabulary()

    def support(term: str, rest: list[str]) -> int:
        term_words = vocab.words(term)
        if not rest or not term_words or index is None:
            return 0
        # Counted up to SUPPORT_ROWS: past that, either term is well enough backed.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {index.table} "
                    "WHERE document @@ to_tsquery('simple', %s) LIMIT %s) backing",
                    [f"({_tsquery(term_words, '&')}) & ({_tsquery(rest, '|')})", SUPPORT_ROWS],
                )
            else:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {index.table} "
                    f"WHERE {index.table} MATCH %s LIMIT %s) backing",
                    [
                        f"({_fts5_query(term_words, 'AND')}) AND ({_fts5_query(rest, 'OR')})",
                        SUPPORT_ROWS,
                    ],
                )
            return cursor.fetchone()[0]

    return vocab.corrected(query, support if index is not None else None)


def query_words(query: str, vocab: Vocabulary | None = None) -> list[str]:
    """The distinct index words of a query, in order."""
    vocab = vocab or vocabulary()
    return list(dict.fromkeys(vocab.words(query)))


# --- index maintenance ---------------------------------------------------------------------


def _joined(vocab: Vocabulary, text: str) -> str:
    return " ".join(vocab.words(text))


def put_document(index: SearchIndex, *, pk: int, title: str, symptom: str, body: str) -> None:
    """Write one object's index row; call it in the transaction that changes the object."""
    put_documents(index, [(pk, title, symptom, body)])


def put_documents(index: SearchIndex, rows: list[tuple[int, str, str, str]]) -> None:
    """Write many index rows (pk, title, symptom, body) at once, for bulk loads."""
    vocab = vocabulary()
    values = [
        [pk, _joined(vocab, title), _joined(vocab, symptom), _joined(vocab, body)]
        for pk, title, symptom, body in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                f"INSERT INTO {index.table} (object_id, document) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D')) "
                "ON CONFLICT (object_id) DO UPDATE SET document = EXCLUDED.document",
                values,
            )
        else:
            cursor.executemany(
                f"DELETE FROM {index.table} WHERE rowid = %s", [[row[0]] for row in values]
            )
            cursor.executemany(
                f"INSERT INTO {index.table} (rowid, title, symptom, body) VALUES (%s, %s, %s, %s)",
                values,
            )


def remove_document(index: SearchIndex, *, pk: int) -> None:
    column = "object_id" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {index.table} WHERE {column} = %s", [pk])


# --- querying ------------------------------------------------------------------------------


def _fts5_query(words: list[str], operator: str) -> str:
    # Each word quoted, so FTS5 syntax characters in user input are plain text.
    return f" {operator} ".join('"{}"'.format(word.replace('"', '""')) for word in words)


def _tsquery(words: list[str], operator: str, weights: str = "") -> str:
    suffix = f":{weights}" if weights else ""
    quoted = [
        "'{}'{}".format(word.replace("\\", "\\\\").replace("'", "''"), suffix) for word in words
    ]
    return f" {operator} ".join(quoted)


class _Statistics:
    """How many index rows hold each word, for weighing rare words above common ones.

    Counted on demand and kept for a while: the weights only need to be about right, and a
    word's share of the rows changes slowly.
    """

    LIFETIME = 600.0  # seconds
    SIZE = 20000  # words remembered per process
    ESTIMATED_FROM = 20000  # index rows from which common words' counts are estimated

    def __init__(self):
        self.counts: dict[tuple, tuple[float, int]] = {}

    def _key(self, index: SearchIndex, word: str) -> tuple:
        return (connection.alias, connection.settings_dict["NAME"], index.table, word)

    def rows(self, index: SearchIndex) -> int:
        return self.documents(index, [""])[""]

    def documents(self, index: SearchIndex, words: list[str]) -> dict[str, int]:
        now = _clock()
        result, missing = {}, []
        estimates = self._estimates(index, now)
        for word in words:
            cached = self.counts.get(self._key(index, word))
            # A word found nowhere is counted again each time (cheap: no row to count), so
            # a row that starts holding it is found at once; other counts only weigh words.
            if cached and cached[1] and now - cached[0] < self.LIFETIME:
                result[word] = cached[1]
            elif word in estimates:
                result[word] = estimates[word]
            else:
                missing.append(word)
        if missing:
            if len(self.counts) > self.SIZE:
                self.counts.clear()
            for word, count in self._count(index, missing).items():
                self.counts[self._key(index, word)] = (now, count)
                result[word] = count
        return result

    def _estimates(self, index: SearchIndex, now: float) -> dict[str, int]:
        """On a large PostgreSQL index, the row counts of its commonest words (and of "", all
        rows) as ANALYZE sampled them: counting a word held by tens of thousands of rows reads
        each of them, and its weight only needs to be about right. Rarer words are counted,
        which is cheap. Small indexes are always counted exactly."""
        if connection.vendor != "postgresql":
            return {}
        key = (*self._key(index, ""), "estimates")
        cached = self.counts.get(key)
        if cached and now - cached[0] < self.LIFETIME:
            return cached[1]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.reltuples, s.most_common_elems::text::text[], "
                "s.most_common_elem_freqs FROM pg_class c LEFT JOIN pg_stats s "
                "ON s.tablename = c.relname AND s.attname = 'document' "
                "AND s.schemaname = current_schema() "
                "WHERE c.oid = to_regclass(%s)",
                [index.table],
            )
            row = cursor.fetchone()
        estimates: dict[str, int] = {}
        if row and row[0] >= self.ESTIMATED_FROM and row[1]:
            rows, words, shares = row
            # The shares end with three summary figures, past the last word.
            estimates = {
                word: max(1, round(share * rows))
                for word, share in zip(words, shares, strict=False)
            }
            estimates[""] = round(rows)
        self.counts[key] = (now, estimates)
        return estimates

    @staticmethod
    def _count(index: SearchIndex, words: list[str]) -> dict[str, int]:
        """One statement for all the words ("" counts every row)."""
        parts, params = [], []
        for word in words:
            if not word:
                parts.append(f"(SELECT count(*) FROM {index.table})")
            elif connection.vendor == "postgresql":
                parts.append(
                    f"(SELECT count(*) FROM {index.table} "
                    "WHERE document @@ to_tsquery('simple', %s))"
                )
                params.append(_tsquery([word], "&"))
            else:
                parts.append(f"(SELECT count(*) FROM {index.table} WHERE {index.table} MATCH %s)")
                params.append(_fts5_query([word], "AND"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            return dict(zip(words, cursor.fetchone(), strict=True))


_statistics = _Statistics()

# Where a word is found counts: in the title it names the fault, in the body it may be an aside.
FIELD_WEIGHTS = {"title": 3.0, "symptom": 1.5, "body": 1.0}
POOL = 200  # rows ranked in detail per query on SQLite
SCORED_ROWS = 1000  # matching rows scored per query on PostgreSQL
# A query word held by more rows than this is not used to find candidates (only to rank them),
# unless it is the query's rarest: common words would make every row a candidate.
CANDIDATE_ROWS = 5000
CANDIDATE_SHARE = 0.05
# The best result is a confident answer when it matches this share of the query's weight, or
# at least the lower share and one of the query's dictionary terms (a product or a fault):
# matching only everyday words (申请, 系统) answers nothing.
CONFIDENT_COVERAGE = 0.75
CONFIDENT_COVERAGE_WITH_TERM = 0.25


@dataclass(frozen=True)
class _Ranked:
    pk: int
    score: float
    coverage: float  # the share of the query's weight this row matches


# A word no row holds (a filler, a wrong word) weighs like one in a twentieth of the rows: the
# query may still be answered without it.
UNKNOWN_SHARE = 0.05
SUB_WORD_COVER = 0.5  # a part of a compound (交换 of 交换机) is half an answer to it


@dataclass(frozen=True)
class _Member:
    word: str
    weight: float  # scoring weight when this word is found
    cover: float  # the share of its group's weight it answers


def _groups(index: SearchIndex, words: list[str]) -> tuple[list[list[_Member]], dict[str, int]]:
    """The query's words grouped with the parts of each compound that follow it (交换机, 交换,
    换机), each weighed by rarity: a group counts once, by its best word found."""
    counts = _statistics.documents(index, ["", *words])
    total = max(counts.pop(""), 1)
    groups: list[list[_Member]] = []
    for word in words:
        rows = counts[word] or UNKNOWN_SHARE * total
        weight = math.log(1 + total / rows)
        if len(word) == 1 and not word.isascii():
            weight /= 2  # a lone Chinese character says little
        if groups and len(word) < len(groups[-1][0].word) and word in groups[-1][0].word:
            groups[-1].append(_Member(word, weight, SUB_WORD_COVER))
        else:
            groups.append([_Member(word, weight, 1.0)])
    return groups, counts


def _group_weight(group: list[_Member]) -> float:
    return group[0].weight


# Two query words found next to each other (机房温度 in 机房温度过高, not in 机房内蓄电池温度)
# name the same thing as the query: a small bonus, enough to order rows that match the same
# words, never enough to lift a row above one that matches more of them.
PAIR_BONUS = 0.5
# A compound is followed in the index by its parts (蓄电池 蓄电 电池), so "next to" allows a gap.
PAIR_GAP = 3


def _pairs(groups: list[list[_Member]]) -> list[tuple[str, str, float]]:
    """Consecutive query words with the bonus for finding them side by side."""
    return [
        (first[0].word, second[0].word, PAIR_BONUS * min(first[0].weight, second[0].weight))
        for first, second in itertools.pairwise(groups)
    ]


def _pair_tsquery(first: str, second: str) -> str:
    return " | ".join(
        f"({_tsquery([first], '&')} <{gap}> {_tsquery([second], '&')})"
        for gap in range(1, PAIR_GAP + 1)
    )


def _pair_bonus(fields: list[list[str]], pairs: list[tuple[str, str, float]]) -> float:
    if not pairs:
        return 0.0
    wanted = {word for first, second, _weight in pairs for word in (first, second)}
    positions = []
    for words in fields:
        where: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            if word in wanted:
                where.setdefault(word, []).append(i)
        positions.append(where)
    bonus = 0.0
    for first, second, weight in pairs:
        for where in positions:
            before, after = where.get(first), where.get(second)
            if before and after and any(0 < j - i <= PAIR_GAP for i in before for j in after):
                bonus += weight
                break
    return bonus


def _candidate_words(words: list[str], counts: dict[str, int], total: int) -> list[str]:
    found = sorted((word for word in words if counts[word]), key=lambda word: counts[word])
    budget = max(CANDIDATE_ROWS, CANDIDATE_SHARE * total)
    chosen, rows = [], 0
    for word in found:
        if chosen and rows + counts[word] > budget:
            continue
        chosen.append(word)
        rows += counts[word]
    return chosen


def _pg_rows(index, groups, match, sub, limit):
    """(pk, score, matched weight) on PostgreSQL, scored in the database. Each query is
    a subquery so it is parsed once, not once per row."""
    score_terms, cover_terms, score_params, cover_params = [], [], [], []
    for group in groups:
        scores, covers = [], []
        for member in group:
            # Most rows lack most words: one look says so, before the look per field.
            scores.append(
                "CASE WHEN NOT i.document @@ (SELECT to_tsquery('simple', %s)) THEN 0 "
                "WHEN i.document @@ (SELECT to_tsquery('simple', %s)) THEN %s "
                "WHEN i.document @@ (SELECT to_tsquery('simple', %s)) THEN %s ELSE %s END"
            )
            score_params += [
                _tsquery([member.word], "&"),
                _tsquery([member.word], "&", "A"),
                member.weight * FIELD_WEIGHTS["title"],
                _tsquery([member.word], "&", "B"),
                member.weight * FIELD_WEIGHTS["symptom"],
                member.weight * FIELD_WEIGHTS["body"],
            ]
            covers.append(
                "CASE WHEN i.document @@ (SELECT to_tsquery('simple', %s)) THEN %s ELSE 0 END"
            )
            cover_params += [_tsquery([member.word], "&"), member.cover * _group_weight(group)]
        score_terms.append(f"GREATEST({', '.join(scores)})")
        cover_terms.append(f"GREATEST({', '.join(covers)})")
    pair_terms, pair_params = ["0"], []
    for first, second, weight in _pairs(groups):
        pair_terms.append(
            "CASE WHEN document @@ (SELECT to_tsquery('simple', %s)) THEN %s ELSE 0 END"
        )
        pair_params += [_pair_tsquery(first, second), weight]
    matching = _tsquery(match[0], "&" if match[1] else "|")
    where = "document @@ to_tsquery('simple', %s)"
    params = [*score_params, *cover_params]
    inner = [matching]
    if sub:
        where += f" AND object_id IN ({sub[0]})"
        inner += sub[1]
    # Scoring costs a look into each row's words, so at most SCORED_ROWS of the matching rows
    # are scored: a query matching more is too general for its order among them to matter
    # much. Equal scores among the best are ordered by ts_rank_cd (how often, how close).
    # Side-by-side pairs only reorder the best rows, so they are looked for among those alone.
    sql = (
        f"SELECT object_id, score + {' + '.join(pair_terms)} AS score, cover, "
        "ts_rank_cd(document, (SELECT to_tsquery('simple', %s))) AS density FROM ("
        f"SELECT i.object_id, i.document, {' + '.join(score_terms)} AS score, "
        f"{' + '.join(cover_terms)} AS cover "
        f"FROM (SELECT object_id, document FROM {index.table} WHERE {where} LIMIT %s) i "
        "ORDER BY score DESC LIMIT %s) best "
        "ORDER BY 2 DESC, density DESC, object_id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*pair_params, matching, *params, *inner, SCORED_ROWS, limit + POOL, limit]
        )
        return [(pk, float(score), float(cover)) for pk, score, cover, _d in cursor.fetchall()]


def _sqlite_rows(index, groups, match, sub, limit):
    """(pk, score, matched weight) on SQLite: bm25 picks the pool, then the same scoring as
    on PostgreSQL orders it."""
    where = f"{index.table} MATCH %s"
    params = [_fts5_query(match[0], "AND" if match[1] else "OR")]
    if sub:
        where += f" AND rowid IN ({sub[0]})"
        params += sub[1]
    sql = (
        f"SELECT rowid, title, symptom, body FROM {index.table} WHERE {where} "
        f"ORDER BY bm25({index.table}, {SQLITE_WEIGHTS}), rowid DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, max(limit, POOL)])
        fetched = cursor.fetchall()
    scored = []
    field_weights = list(FIELD_WEIGHTS.values())
    for pk, *texts in fetched:
        sequences = [text.split() for text in texts]
        fields = [set(words) for words in sequences]
        score = cover = 0.0
        for group in groups:
            best_score = best_cover = 0.0
            for member in group:
                for field, weight in zip(fields, field_weights, strict=True):
                    if member.word in field:
                        best_score = max(best_score, member.weight * weight)
                        best_cover = max(best_cover, member.cover * _group_weight(group))
                        break
            score += best_score
            cover += best_cover
        scored.append((pk, score, cover, sequences))
    # Stable: equal scores keep bm25's order (how often, in how short a text).
    scored.sort(key=lambda row: -row[1])
    # Side-by-side pairs are looked for only in rows they could lift into the results.
    pairs = _pairs(groups)
    most = sum(weight for _first, _second, weight in pairs)
    bar = scored[limit - 1][1] - most if len(scored) > limit else -math.inf
    rows = [
        (pk, score + _pair_bonus(sequences, pairs), cover)
        for pk, score, cover, sequences in scored
        if score >= bar
    ]
    rows.sort(key=lambda row: -row[1])
    return rows[:limit]


def _rank(
    index: SearchIndex, candidates: QuerySet, words: list[str], *, limit: int, offset: int = 0
) -> list[_Ranked]:
    if not words:
        return []
    try:
        sub_sql, sub_params = candidates.values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): nobody to search among
        return []
    groups, counts = _groups(index, words)
    total_weight = sum(_group_weight(group) for group in groups)
    fetch = _pg_rows if connection.vendor == "postgresql" else _sqlite_rows
    wanted = limit + offset
    attempts = []
    if all(counts[word] for word in words):
        attempts.append((words, True))
    match_words = _candidate_words(words, counts, _statistics.rows(index))
    if match_words and (len(words) > 1 or not attempts):
        attempts.append((match_words, False))
    for match, every in attempts:
        rows = _visible_rows(
            fetch, index, groups, (match, every), candidates, (sub_sql, sub_params), wanted
        )
        if rows:
            return [
                _Ranked(pk, score, cover / total_weight if total_weight else 0.0)
                for pk, score, cover in rows[offset:wanted]
            ]
    return []


def _visible_rows(fetch, index, groups, match, candidates, sub, wanted):
    """The best rows among the candidates. Most searchers may read nearly every row, so the
    rows are ranked first and filtered after; only when too few survive is the ranking redone
    inside the candidate set, which costs a pass over all of it."""
    # A line-2 engineer may read only the cases that reached line 2, about a third of them: a
    # first pool of four times the wanted rows usually keeps enough of them in one pass (twice
    # made most of their searches rank twice), and a wider pool still costs one cheap pass,
    # where the fallback is a pass over every case.
    for pool in (wanted * 4, wanted * 20):
        rows = fetch(index, groups, match, None, pool)
        if not rows:
            return []
        ids = [row[0] for row in rows]
        visible = set(candidates.filter(pk__in=ids).values_list("pk", flat=True))
        kept = [row for row in rows if row[0] in visible]
        if len(kept) >= wanted or len(rows) < pool:
            return kept[:wanted]
    return fetch(index, groups, match, sub, wanted)


def ranked_ids(
    index: SearchIndex, candidates: QuerySet, words: list[str], *, limit: int, offset: int = 0
) -> list[tuple[int, float]]:
    """(id, score) of the candidates matching the words, best first.

    `candidates` carries the searcher's visibility and the filters. When some candidates
    hold every word, only those are returned; otherwise those holding any of the rarer words,
    ranked by how much of the query they match: each word weighs by its rarity, and by where
    it is found (title, symptom, rest).
    """
    return [
        (row.pk, row.score) for row in _rank(index, candidates, words, limit=limit, offset=offset)
    ]


class Results(list):
    """Search results, best first; `confident` says whether the best one answers the query."""

    confident: bool = False


def search(
    index: SearchIndex, candidates: QuerySet, query: str, *, limit: int = 50, offset: int = 0
) -> Results:
    """The candidate objects matching the query, best first, each with `.score`: `limit` of
    them after the first `offset`."""
    vocab = vocabulary()
    words = query_words(corrected(query, vocab, index), vocab)
    ranked = _rank(index, candidates, words, limit=limit, offset=offset)
    objects = candidates.in_bulk([row.pk for row in ranked])
    results = Results()
    for row in ranked:
        obj = objects[row.pk]
        obj.score = row.score
        results.append(obj)
    results.confident = bool(ranked) and _answers(index, ranked[0], words, vocab)
    return results


def _answers(index: SearchIndex, best: _Ranked, words: list[str], vocab: Vocabulary) -> bool:
    if best.coverage >= CONFIDENT_COVERAGE:
        return True
    terms = [word for word in words if word in vocab.terms]
    if best.coverage < CONFIDENT_COVERAGE_WITH_TERM or not terms:
        return False
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT document @@ to_tsquery('simple', %s) FROM {index.table} "
                "WHERE object_id = %s",
                [_tsquery(terms, "|"), best.pk],
            )
            row = cursor.fetchone()
            return bool(row and row[0])
        cursor.execute(
            f"SELECT title, symptom, body FROM {index.table} WHERE rowid = %s", [best.pk]
        )
        row = cursor.fetchone()
    return bool(row) and bool(set(terms) & set(" ".join(row).split()))


def is_confident(results: list) -> bool:
    """Whether the best of these results answers the query (see Results)."""
    return bool(getattr(results, "confident", False))


# --- highlighting --------------------------------------------------------------------------


class Highlighter:
    """Marks a query's words in texts; build one per query and use it for every result."""

    def __init__(self, query: str):
        self.vocab = vocabulary()
        self.wanted = set(query_words(query, self.vocab))
        self._matching: dict[str, bool] = {}  # results repeat their words: each is cut once

    def _matches(self, piece: str) -> bool:
        found = self._matching.get(piece)
        if found is None:
            found = self._matching[piece] = self.vocab.matches(piece, self.wanted)
        return found

    def _marked(self, pieces: list[str]) -> set[int]:
        if not self.wanted:
            return set()
        return {i for i, piece in enumerate(pieces) if self._matches(piece)}

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
        f"<mark>{html.escape(pieces[i])}</mark>" if i in hits else html.escape(pieces[i])
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
