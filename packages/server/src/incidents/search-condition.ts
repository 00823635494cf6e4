import { PostgresAdapter, sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../store/executor.js';

/**
 * The `q` predicate (docs/incidents.md, "Text search"): every word must begin one of the
 * words of the incident's `search_text` (title, description and place, folded by
 * `foldText`: lower case, no accents, punctuation turned into spaces). Served by an index on
 * both stores (migration 0012): SQLite's FTS5 table `incidents_search`, PostgreSQL's GIN
 * index `incidents_search` over the words as a tsvector. Both split `search_text` on spaces
 * only, so they see the same words and answer the same.
 */

/**
 * Words longer than this are indexed on PostgreSQL by their first SEARCH_WORD_MAX characters
 * (a tsvector word may not exceed 2 KB); query words are cut the same way on both stores.
 */
export const SEARCH_WORD_MAX = 64;

/**
 * The words of `search_text` as PostgreSQL indexes them. Must stay exactly the expression of
 * the index made by migration 0012: PostgreSQL uses an expression index only for the same
 * expression.
 */
export const POSTGRES_SEARCH_WORDS = String.raw`array_to_tsvector(string_to_array(regexp_replace(incidents.search_text, '(\S{64})\S+', '\1', 'g'), ' '))`;

/** Query words as the index compares them: cut to SEARCH_WORD_MAX, empty and repeated ones dropped. */
export function searchTerms(words: readonly string[]): string[] {
  return [...new Set(words.map((word) => [...word.trim()].slice(0, SEARCH_WORD_MAX).join('')).filter(Boolean))];
}

// Every word is quoted, so nothing in it is query syntax (AND, NEAR, *, -, quotes).
const fts5Prefix = (term: string) => `"${term.replace(/"/g, '""')}"*`;
const tsqueryPrefix = (term: string) => `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;
const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The rule answered from the index: the incidents the FTS5 table or the GIN index name. */
export function indexedMatch(db: Db, terms: readonly string[]): RawBuilder<SqlBool> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return sql<SqlBool>`${sql.raw(POSTGRES_SEARCH_WORDS)} @@ ${terms.map(tsqueryPrefix).join(' & ')}::tsquery`;
  }
  return sql<SqlBool>`incidents.id in (select incident_id from incidents_search where incidents_search match ${terms.map(fts5Prefix).join(' ')})`;
}

/**
 * The same rule checked on each row read: " word" appears in " " + search_text (its words
 * are separated by single spaces). Cheap per row; right when the query walks an order
 * index and most rows it reads match.
 */
export function wordStartMatch(terms: readonly string[], searchText: RawBuilder<string> = sql<string>`incidents.search_text`): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    terms.map((term) => sql`(' ' || ${searchText}) like ${`% ${escapeLike(term)}%`} escape '\\'`),
    sql` and `,
  )})`;
}

/**
 * SQLite: matches (in every tenant) up to which the list reads them from the index and sorts
 * them; at this many or more the words are common enough that walking the list's order finds
 * a page after a few thousand rows at most.
 */
const INDEXED_MATCHES_MAX = 2000;

/**
 * A condition on `incidents` for the folded `words` of `q` (no words: true).
 *
 * Neither planner can tell a rare prefix from a common one (SQLite has no figures for a
 * MATCH; PostgreSQL's statistics hold whole words), and the index is the wrong way for common words: the list wants the first
 * page of matches in its order, which walking the order index and checking each row finds
 * after a few reads, while reading every match from the index and sorting them costs as
 * many steps as there are matches. So the list first tells rare from common — SQLite by
 * counting the index's matches up to INDEXED_MATCHES_MAX (a few milliseconds even for a
 * common word), PostgreSQL from its statistics (postgresCommon) — and reads rare ones from
 * the index, sorting them, while common ones are checked row by row along the order. A one-letter word is common
 * by nature (and costly to count: its prefix spans a whole letter of the vocabulary). A
 * sample of the newest rows is no guide: a word rare in the tenant may fill its last hour.
 */
export async function matchesSearch(db: Db, words: readonly string[]): Promise<RawBuilder<SqlBool>> {
  const terms = searchTerms(words);
  if (terms.length === 0) return sql<SqlBool>`1 = 1`;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  // Checked on each row of the walk: a LIKE on the folded text (on PostgreSQL far cheaper than
  // building the row's words for @@, and the same rule).
  const walk = wordStartMatch(terms);
  if (terms.some((term) => [...term].length < 2)) return walk;
  const common = postgres ? await postgresCommon(db, terms) : (await countSqliteMatches(db, terms)) >= INDEXED_MATCHES_MAX;
  if (common) return walk;
  // Few matches: their ids first, then the list's order over them.
  return postgres ? sql<SqlBool>`incidents.id = any(array(select id from incidents where ${indexedMatch(db, terms)}))` : indexedMatch(db, terms);
}

const countSqliteMatches = async (db: Db, terms: readonly string[]) =>
  Number(
    (
      await sql<{ n: number }>`select count(*) as n from (
        select 1 from incidents_search where incidents_search match ${terms.map(fts5Prefix).join(' ')} limit ${INDEXED_MATCHES_MAX}
      )`.execute(db)
    ).rows[0]?.n ?? 0,
  );

/**
 * PostgreSQL prices any prefix search like a common one, so left alone it walks the order
 * index computing the words of every row even for a word that matches five incidents of a
 * million (~1 s); counting through the GIN index instead costs as much as the matches (~40 ms
 * for a common word at a million). Its own statistics answer in a catalog read: ANALYZE keeps
 * the most common words of the index with their shares (pg_stats.most_common_elems). Every
 * term with a share of at least COMMON_SHARE is common; words absent from the statistics (or
 * a table never analyzed, which is small) are rare.
 */
const COMMON_SHARE = 0.002;

async function postgresCommon(db: Db, terms: readonly string[]): Promise<boolean> {
  const { rows } = await sql<{ term: string; share: number | string | null }>`select t.term, (
      select sum(e.share) from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as e(word, share)
      where s.schemaname = current_schema() and s.tablename = 'incidents_search' and e.word like t.pattern escape '\\'
    ) as share from unnest(${[...terms]}::text[], ${terms.map((term) => `${escapeLike(term)}%`)}::text[]) as t(term, pattern)`.execute(db);
  return rows.every((row) => Number(row.share ?? 0) >= COMMON_SHARE);
}
