// SOP search over the site's Pagefind index, shared by the search box (search.js) and `sop search`
// (soplib/search/bridge.mjs), so that both give the same results in the same order.

const ID = /^\s*(?:sop[\s-]*)?([a-z]{2,4})[\s-]*(\d{1,3})\s*$/i;

// "apl 004", "APL-4", "sop apl 004" -> "SOP-APL-004": agents type ids in many ways.
export function expandQuery(query) {
  const match = ID.exec(query);
  return match ? `SOP-${match[1].toUpperCase()}-${match[2].padStart(3, "0")}` : query.trim();
}

// Active SOPs first; deprecated and retired ones after them, each group in Pagefind's order.
// Returns the total and the hits; `load` fetches the fields of a slice of them (one request each).
export async function findSops(pagefind, query) {
  const term = expandQuery(query);
  if (!term) return { total: 0, hits: [] };
  const [active, inactive] = await Promise.all([
    pagefind.search(term, { filters: { state: "active" } }),
    pagefind.search(term, { filters: { state: "inactive" } }),
  ]);
  const hits = [
    ...active.results.map((hit) => ({ hit, inactive: false })),
    ...inactive.results.map((hit) => ({ hit, inactive: true })),
  ];
  return { total: hits.length, hits };
}

export async function load(hits) {
  const pages = await Promise.all(hits.map(({ hit }) => hit.data()));
  return pages.map((page, index) => ({
    id: page.meta.id,
    title: page.meta.title,
    status: page.meta.status,
    version: page.meta.version,
    inactive: hits[index].inactive,
    url: page.url,
    excerpt: page.excerpt,
  }));
}

export async function searchSops(pagefind, query, limit = 10) {
  const { total, hits } = await findSops(pagefind, query);
  return { total, results: await load(hits.slice(0, limit)) };
}
