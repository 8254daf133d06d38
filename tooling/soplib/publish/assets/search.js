// Drives Material's header search box with Pagefind: the same place and look, but an index per
// language, accent-insensitive, loaded in small pieces. Material's own index is left empty.
(() => {
  const input = document.querySelector(".md-search__input");
  const original = document.querySelector(".md-search-result");
  const script = document.querySelector('script[src*="assets/sop/search.js"]');
  if (!input || !original || !script) return;
  const siteRoot = new URL("../../", script.src);
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const words = config.translations || {};

  const results = document.createElement("div");
  results.className = "md-search-result sop-search-result";
  results.innerHTML = '<div class="md-search-result__meta"></div><ol class="md-search-result__list" role="presentation"></ol>';
  original.after(results);
  original.hidden = true;
  const meta = results.querySelector(".md-search-result__meta");
  const list = results.querySelector(".md-search-result__list");

  let engine = null;
  const load = () => (engine ??= Promise.all([
    import(new URL(`pagefind/${document.documentElement.lang}/pagefind.js`, siteRoot).href),
    import(new URL("assets/sop/sop-search.mjs", siteRoot).href),
  ]).then(async ([pagefind, core]) => {
    await pagefind.options({ baseUrl: siteRoot.pathname });
    await pagefind.init();
    return { pagefind, core };
  }));

  const count = (total) => {
    if (total === 0) return words["search.result.none"] || "No matching documents";
    if (total === 1) return words["search.result.one"] || "1 matching document";
    return (words["search.result.other"] || "# matching documents").replace("#", total);
  };

  // Pagefind marks the matched words with <mark>; everything else is set as text, never as HTML.
  const passage = (excerpt) => {
    const paragraph = document.createElement("p");
    excerpt.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
      const marked = part.startsWith("<mark>");
      const node = marked ? document.createElement("mark") : document.createTextNode("");
      node.textContent = marked ? part.slice(6, -7) : part;
      paragraph.append(node);
    });
    return paragraph;
  };

  const item = (result) => {
    const li = document.createElement("li");
    li.className = "md-search-result__item sop-search-result__item" + (result.inactive ? " sop-search-result__item--inactive" : "");
    li.innerHTML = '<a class="md-search-result__link" tabindex="-1"><article class="md-search-result__article md-typeset"><h1></h1><p class="sop-search-result__status"></p></article></a>';
    li.querySelector("a").href = new URL(result.url.replace(/^\//, ""), siteRoot).href;
    li.querySelector("h1").textContent = `${result.id} · ${result.title}`;
    li.querySelector(".sop-search-result__status").textContent = `${result.status} · v${result.version}`;
    li.querySelector("article").append(passage(result.excerpt));
    return li;
  };

  let latest = 0;
  const run = async (ticket) => {
    const query = input.value;
    if (!query.trim()) {
      meta.textContent = words["search.result.placeholder"] || "";
      list.replaceChildren();
      return;
    }
    const { pagefind, core } = await load();
    const found = await core.findSops(pagefind, query);
    if (ticket !== latest) return; // a newer query is under way
    // The first few results show at once; the rest follow (each result's fields are one request).
    const first = await core.load(found.hits.slice(0, 4));
    if (ticket !== latest) return;
    meta.textContent = count(found.total);
    list.replaceChildren(...first.map(item));
    const rest = await core.load(found.hits.slice(4, 10));
    if (ticket === latest) list.append(...rest.map(item));
  };
  let timer = 0;
  const schedule = () => {
    const ticket = ++latest;
    clearTimeout(timer);
    timer = setTimeout(() => run(ticket), 30); // typing fast: search once the keys pause
  };

  // Material searches on keyup with its own (empty) index; it must not see the query.
  document.addEventListener("keyup", (event) => { if (event.target === input) event.stopPropagation(); }, true);
  // Load the engine and this language's index metadata once the page is idle (about 0.3 MB, cached
  // afterwards), so that the first query an agent types only fetches the index pieces it needs.
  const warm = () => load().then(({ pagefind }) => pagefind.preload("a"));
  if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 2000 });
  else setTimeout(warm, 500);
  input.addEventListener("input", schedule);
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "Enter" && first) {
      event.preventDefault();
      event.stopPropagation();
      window.location.href = first.href;
    }
  }, true);
})();
