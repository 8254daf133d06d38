// `sop search`: runs the built site's Pagefind bundle and its ranking (assets/sop/sop-search.mjs)
// in Node, reading the index files from disk. Usage: node bridge.mjs SITE_DIR LANG QUERY LIMIT SYNONYMS_JSON
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const [site, lang, query, limit, synonyms] = process.argv.slice(2);
// Pagefind picks the index of the page's <html lang>; here there is no page, so say which.
globalThis.document = { currentScript: null, querySelector: () => ({ getAttribute: () => lang }) };
const networkFetch = globalThis.fetch;
globalThis.fetch = async (url, options) => {
  const target = new URL(url);
  if (target.protocol !== "file:") return networkFetch(url, options);
  return new Response(await readFile(fileURLToPath(target)));
};

const root = pathToFileURL(`${site}/`);
const pagefind = await import(new URL(`pagefind/${lang}/pagefind.js`, root).href);
const core = await import(new URL("assets/sop/sop-search.mjs", root).href);
await pagefind.options({ basePath: new URL(`pagefind/${lang}/`, root).href, baseUrl: "/" });
await pagefind.init();
const settings = { synonyms: JSON.parse(synonyms || "{}"), wordsAt: new URL(`pagefind/${lang}/`, root).href };
const found = await core.searchSops(pagefind, query, Number(limit), settings);
process.stdout.write(JSON.stringify({ query, language: lang, ...found }, null, 2) + "\n");
