// Drives Material's header search box with Pagefind: the same place and look, but an index per
// language, accent-insensitive, forgiving a mistyped word, loaded in small pieces. Material's own index is
// left empty. From the keyboard: arrows move through the results, Enter opens one, Tab stays in the box.
(() => {
  const input = document.querySelector(".md-search__input");
  const original = document.querySelector(".md-search-result");
  const dialog = document.querySelector(".md-search");
  const script = document.querySelector('script[src*="assets/sop/search.js"]');
  if (!input || !original || !dialog || !script) return;
  const siteRoot = new URL("../../", script.src);
  const lang = document.documentElement.lang;
  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  const words = config.translations || {};
  const settings = JSON.parse(document.getElementById("sop-search-settings")?.textContent || "{}");
  const texts = settings.texts || {};
  const bundle = new URL(`pagefind/${lang}/`, siteRoot);

  const results = document.createElement("div");
  results.className = "md-search-result sop-search-result";
  results.innerHTML = '<div class="md-search-result__meta" role="status"></div><p class="sop-search-result__note"></p><ol class="md-search-result__list"></ol>';
  original.after(results);
  original.hidden = true;
  const meta = results.querySelector(".md-search-result__meta");
  const note = results.querySelector(".sop-search-result__note");
  const list = results.querySelector(".md-search-result__list");

  let engine = null;
  const load = () => (engine ??= Promise.all([
    import(new URL("pagefind.js", bundle).href),
    import(new URL("assets/sop/sop-search.mjs", siteRoot).href),
  ]).then(async ([pagefind, core]) => {
    await pagefind.options({ baseUrl: siteRoot.pathname });
    await pagefind.init();
    return { pagefind, core };
  }));

  const count = (total) => {
    if (total === 0) return words["search.result.none"] || "";
    if (total === 1) return words["search.result.one"] || "1";
    return (words["search.result.other"] || "#").replace("#", total);
  };
  const fill = (template, values) => (template || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  // Pagefind marks the matched words with <mark>; everything else is set as text, never as HTML.
  const passage = (excerpt) => {
    const paragraph = document.createElement("p");
    excerpt.replace(/&lt;/g, "<").replace(/&gt;/g, ">").split(/(<mark>.*?<\/mark>)/).forEach((part) => {
      const marked = part.startsWith("<mark>");
      const node = marked ? document.createElement("mark") : document.createTextNode("");
      node.textContent = marked ? part.slice(6, -7) : part;
      paragraph.append(node);
    });
    return paragraph;
  };

  const item = (result, highlight) => {
    const li = document.createElement("li");
    li.className = "md-search-result__item sop-search-result__item"
      + (result.inactive ? " sop-search-result__item--inactive" : "")
      + (result.translation ? ` sop-search-result__item--${result.translation}` : "");
    li.innerHTML = '<a class="md-search-result__link"><article class="md-search-result__article md-typeset"><h3 class="sop-search-result__title"></h3><p class="sop-search-result__status"></p></article></a>';
    const url = new URL(result.url.replace(/^\//, ""), siteRoot);
    if (highlight) url.searchParams.set("h", highlight);
    li.querySelector("a").href = url.href;
    const title = li.querySelector("h3");
    title.textContent = `${result.id} · ${result.title}`;
    const state = [result.status, `v${result.version}`, texts[`translation_${result.translation}`]];
    li.querySelector(".sop-search-result__status").textContent = state.filter(Boolean).join(" · ");
    const text = passage(result.excerpt);
    if (result.language && result.language !== lang) {
      title.lang = result.language; // an English-only SOP on a Spanish page: read with an English voice
      text.lang = result.language;
    }
    li.querySelector("article").append(text);
    return li;
  };

  // What the search box says about the query it searched: a synonym, a correction, or nothing found.
  const explain = (query, searched) => {
    const said = [
      ...searched.replaced.map(([typed, term]) => fill(texts.search_synonym, { typed, term })),
      ...searched.corrected.map(([typed, term]) => fill(texts.search_corrected, { typed, term })),
    ];
    return said.join(" ");
  };

  let latest = 0;
  const run = async (ticket) => {
    const query = input.value;
    if (!query.trim()) {
      meta.textContent = words["search.result.placeholder"] || "";
      note.textContent = "";
      list.replaceChildren();
      return;
    }
    const { pagefind, core } = await load();
    const found = await core.findSops(pagefind, query, options);
    if (ticket !== latest) return; // a newer query is under way
    // The first few results show at once; the rest follow (each result's fields are one request).
    const first = await core.load(found.hits.slice(0, 4));
    if (ticket !== latest) return;
    const highlight = found.searched.id ? "" : found.searched.term;
    meta.textContent = count(found.total);
    note.textContent = found.total ? explain(query, found.searched) : fill(texts.search_nothing, { query: query.trim() });
    list.replaceChildren(...first.map((result) => item(result, highlight)));
    const rest = await core.load(found.hits.slice(4, 10));
    if (ticket === latest) list.append(...rest.map((result) => item(result, highlight)));
  };
  const options = { synonyms: settings.synonyms || {}, wordsAt: bundle.href };
  let timer = 0;
  const schedule = () => {
    const ticket = ++latest;
    clearTimeout(timer);
    timer = setTimeout(() => run(ticket), 30); // typing fast: search once the keys pause
    load().then(({ pagefind, core }) => core.prepare(pagefind, input.value, options)).catch(() => {});
  };

  // The keys, caught before Material's own (which would close the box on Tab and move through its own,
  // empty, results): arrows move between the box and the results, Tab and Shift+Tab go round them.
  const links = () => [...list.querySelectorAll("a")];
  const open = () => document.getElementById("__search")?.checked;
  document.addEventListener("keydown", (event) => {
    if (!open() || !dialog.contains(document.activeElement)) return;
    const stops = [input, ...links()];
    const at = stops.indexOf(document.activeElement);
    const move = (to) => {
      event.preventDefault();
      event.stopPropagation();
      stops[(to + stops.length) % stops.length].focus();
    };
    if (event.key === "ArrowDown") move(Math.min(at + 1, stops.length - 1));
    else if (event.key === "ArrowUp") move(Math.max(at - 1, 0));
    else if (event.key === "Tab") move(at + (event.shiftKey ? -1 : 1));
    else if (event.key === "Enter" && document.activeElement === input && stops[1]) {
      event.preventDefault();
      event.stopPropagation();
      window.location.href = stops[1].href;
    } else if (event.key === "Enter" && at > 0) event.stopPropagation(); // the link opens itself
  }, true);

  // Material searches on keyup with its own (empty) index; it must not see the query.
  document.addEventListener("keyup", (event) => { if (event.target === input) event.stopPropagation(); }, true);
  // Load the engine and this language's index metadata once the page is idle (about 0.3 MB, cached
  // afterwards), so that the first query an agent types only fetches the index pieces it needs.
  const warm = () => load().then(({ pagefind }) => pagefind.preload("a"));
  if ("requestIdleCallback" in window) requestIdleCallback(warm, { timeout: 2000 });
  else setTimeout(warm, 500);
  input.addEventListener("input", schedule);
})();
