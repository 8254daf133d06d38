// SOP search over the site's Pagefind index, shared by the search box (search.js) and `sop search`
// (soplib/search/bridge.mjs), so that both give the same results in the same order. soplib/search/terms.py
// and library.py follow the same rules over the SOP files, for `sop mcp`.

const ID = /^\s*(?:sop[\s-]*)?([a-z]{2,4})[\s-]*(\d{1,3})\s*$/i;
const SHORTEST = 4; // shorter words are never corrected (terms.py)

// "apl 004", "APL-4", "sop apl 004" -> "SOP-APL-004": agents type ids in many ways.
export function expandQuery(query) {
  const match = ID.exec(query);
  return match ? `SOP-${match[1].toUpperCase()}-${match[2].padStart(3, "0")}` : query.trim();
}

// Words as agents type them: lower case, no accents, split at punctuation (terms.py's `words`).
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
export const words = (text) => fold(text).match(/[\p{L}\p{N}]+/gu) || [];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const shard = (word) => (/^[a-z0-9]/.test(word) ? word[0] : "_");

// The glossary's variants searched as the term the SOPs use: "reintegro" as "reembolso".
export function withSynonyms(query, table) {
  let typed = words(query).join(" ");
  const made = [];
  for (const variant of Object.keys(table).sort((a, b) => b.length - a.length)) {
    const pattern = `(?<![\\p{L}\\p{N}_])${escape(variant)}(?![\\p{L}\\p{N}_])`;
    if (new RegExp(pattern, "u").test(typed)) {
      typed = typed.replace(new RegExp(pattern, "gu"), table[variant]);
      made.push([variant, table[variant]]);
    }
  }
  return { query: made.length ? typed : query, made };
}

const lacking = (word, known) =>
  word.length >= SHORTEST && /^\p{L}+$/u.test(word) && !Object.keys(known).some((w) => w.startsWith(word));

// Optimal string alignment distance, or most + 1 once it is past `most`.
function edits(a, b, most) {
  let before = null;
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost);
      if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j], before[j - 2] + 1);
      }
    }
    if (Math.min(...current) > most) return most + 1;
    [before, row] = [row, current];
  }
  return row[b.length];
}

// The closest word of the index with the same first letter: one edit away (two from 8 letters on), the
// most frequent of the closest; null when the word is typed right (some word of the index starts with it).
export function correction(word, known) {
  if (!lacking(word, known)) return null;
  const most = word.length < 8 ? 1 : 2;
  let best = null;
  for (const [candidate, pages] of Object.entries(known)) {
    const near = Math.abs(candidate.length - word.length) <= most && shard(candidate) === shard(word);
    if (!near || candidate.length < SHORTEST) continue;
    const distance = edits(word, candidate, most);
    const key = [distance, -pages, candidate];
    if (distance <= most && (!best || key[0] < best[0] || (key[0] === best[0] && (key[1] < best[1] || (key[1] === best[1] && key[2] < best[2]))))) best = key;
  }
  return best ? best[2] : null;
}

export function corrected(query, known) {
  const typed = words(query);
  const made = [];
  const unknown = [];
  typed.forEach((word, index) => {
    const better = correction(word, known);
    if (better) {
      typed[index] = better;
      made.push([word, better]);
    } else if (lacking(word, known)) unknown.push(word);
  });
  return { query: made.length ? typed.join(" ") : query, made, unknown };
}

// The words of the index that start like the query's words (one file per first letter, fetched once).
const shards = new Map();
async function knownWords(base, typed) {
  const names = [...new Set(typed.map(shard))];
  const loaded = await Promise.all(names.map((name) => {
    if (!shards.has(`${base}${name}`)) {
      shards.set(`${base}${name}`, fetch(new URL(`sop-words/${name}.json`, base)).then((r) => (r.ok ? r.json() : {})).catch(() => ({})));
    }
    return shards.get(`${base}${name}`);
  }));
  return Object.assign({}, ...loaded);
}

// What is searched for a query: an id as it is; else the glossary's variants replaced and each word that
// no page has put right (`words`: the URL of the bundle whose sop-words/ to read).
export async function plan(query, { synonyms = {}, wordsAt = null } = {}) {
  const id = expandQuery(query);
  const none = { term: id, id: id !== query.trim(), replaced: [], corrected: [], unknown: [] };
  if (none.id || !id) return none;
  const replaced = withSynonyms(query, synonyms);
  if (!wordsAt) return { ...none, term: replaced.query.trim(), replaced: replaced.made };
  const fixed = corrected(replaced.query, await knownWords(wordsAt, words(replaced.query)));
  return { ...none, term: fixed.query.trim(), replaced: replaced.made, corrected: fixed.made, unknown: fixed.unknown };
}

// Active SOPs first; deprecated and retired ones after them, each group in Pagefind's order.
// Returns the total, the hits and what was searched; `load` fetches the fields of a slice of them.
// The words are searched once; the inactive pages among the results are a second search, filtered to
// them (few, and the index pieces are loaded by then): cheaper than a search filtered to active pages.
export async function findSops(pagefind, query, settings = {}) {
  const searched = await plan(query, settings);
  if (!searched.term || searched.unknown.length) return { total: 0, hits: [], searched };
  const [found, inactive] = await Promise.all([
    pagefind.search(searched.term),
    pagefind.search(searched.term, { filters: { state: "inactive" } }),
  ]);
  const retired = new Set(inactive.results.map((hit) => hit.id));
  const hits = found.results.map((hit) => ({ hit, inactive: retired.has(hit.id) }));
  hits.sort((a, b) => a.inactive - b.inactive); // stable: Pagefind's order within each group
  return { total: hits.length, hits, searched };
}

// While the agent types: the index pieces and the words' list for what is typed so far are fetched, so
// that the search, once the keys pause, finds them loaded.
export function prepare(pagefind, query, { synonyms = {}, wordsAt = null } = {}) {
  const id = expandQuery(query);
  if (!id) return Promise.resolve();
  if (id !== query.trim()) return pagefind.preload(id);
  const typed = words(withSynonyms(query, synonyms).query);
  if (wordsAt) knownWords(wordsAt, typed);
  return pagefind.preload(typed.join(" "));
}

// Where a result opens: the section that matched best (not the title), at its step that matched best; the
// excerpt is from there. Matched only by its title or keywords (which come before the title): the top.
function landing(page) {
  const score = (locations) => locations.reduce((sum, l) => sum + l.balanced_score, 0);
  const sections = page.sub_results.filter((sub) => sub.anchor && sub.anchor.id !== "sop-title");
  const best = sections.reduce((top, sub) => (!top || score(sub.weighted_locations) > score(top.weighted_locations) ? sub : top), null);
  if (!best) return { url: page.url, excerpt: opening(page) };
  const ends = page.anchors.map((a) => a.location).filter((at) => at > best.anchor.location);
  const end = Math.min(...ends.filter((at) => /^h\d$/.test(page.anchors.find((a) => a.location === at)?.element || "")), Infinity);
  const steps = page.anchors.filter((a) => a.element === "li" && /^step-\d+$/.test(a.id) && a.location >= best.anchor.location && a.location < end);
  const within = (from, to) => best.weighted_locations.filter((l) => l.location >= from && l.location < to);
  const ranges = steps.map((step, i) => [step, step.location, steps[i + 1]?.location ?? end]);
  const top = ranges.reduce((found, range) => (score(within(range[1], range[2])) > score(within(found?.[1] ?? 0, found?.[2] ?? 0)) ? range : found), null);
  const [from, to] = top ? [top[1], top[2]] : [best.anchor.location, end];
  const url = top ? `${page.url.split("#")[0]}#${top[0].id}` : best.url;
  return { url, excerpt: excerpt(page, from, to, within(from, to).map((l) => l.location)) };
}

// Thirty words of the text from shortly before the first word that matched (search.library's excerpt),
// within [from, to), the words that matched marked.
function excerpt(page, from, to, matched) {
  const text = page.raw_content.split(/[\r\n\s]+/g);
  const start = Math.max(from, Math.min(...matched) - 8);
  const shown = [];
  for (let at = start; at < Math.min(start + 30, to, text.length); at++) {
    shown.push(matched.includes(at) ? `<mark>${text[at]}</mark>` : text[at]);
  }
  return (start > from ? "… " : "") + shown.join(" ");
}

// The first words of the text after the title, when nothing in it matched.
function opening(page) {
  const start = page.anchors.find((a) => a.id !== "sop-title" && /^h\d$/.test(a.element))?.location ?? 0;
  return page.raw_content.split(/[\r\n\s]+/g).slice(start, start + 30).join(" ");
}

export async function load(hits) {
  const pages = await Promise.all(hits.map(({ hit }) => hit.data()));
  return pages.map((page, index) => ({
    id: page.meta.id,
    title: page.meta.title,
    status: page.meta.status,
    version: page.meta.version,
    inactive: hits[index].inactive,
    translation: page.filters.translation?.[0] || "",
    language: page.filters.text?.[0] || "",
    ...landing(page),
  }));
}

export async function searchSops(pagefind, query, limit = 10, settings = {}) {
  const { total, hits, searched } = await findSops(pagefind, query, settings);
  return { total, searched, results: await load(hits.slice(0, limit)) };
}
