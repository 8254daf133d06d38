// What an SOP page does in the browser: highlights the words a search result opened it for, dates a printed
// copy, and lets the page not found search the SOPs. Everything else on the page works without it.
(() => {
  // Words as agents type them: lower case, no accents (search/terms.py's `words`).
  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  // A search result's link carries ?h=word+word: each word of the article that starts with one of them
  // is marked, and the step or section in the link's #hash is where the browser scrolls.
  const highlight = () => {
    const wanted = (new URLSearchParams(location.search).get("h") || "").split(/\s+/).map(fold).filter((w) => w.length > 1);
    const article = document.querySelector("article");
    if (!wanted.length || !article) return;
    const start = new RegExp(`^(?:${wanted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "u");
    const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest("[hidden], .sop-meta, .sop-history, .headerlink, mark, script")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const texts = [];
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const node of texts) {
      const words = node.textContent.split(/([\p{L}\p{N}]+)/u);
      if (!words.some((word) => start.test(fold(word)))) continue;
      node.replaceWith(...words.map((word) => {
        if (!word || !start.test(fold(word))) return document.createTextNode(word);
        const mark = document.createElement("mark");
        mark.className = "sop-highlight";
        mark.textContent = word;
        return mark;
      }));
    }
    const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    (target || article.querySelector("mark.sop-highlight"))?.scrollIntoView({ block: "start" });
  };

  // A printed SOP says where it is on the site and when it was printed (in the page's language: the
  // template is in data-template).
  const printLine = () => {
    const stamp = document.querySelector(".sop-print__date");
    if (!stamp) return;
    document.querySelector(".sop-print__url").textContent = location.origin + location.pathname;
    const today = new Date();
    const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
    stamp.textContent = stamp.dataset.template.replace("{date}", day);
  };

  // The page not found: an address under another language's folder gets that language's page; the
  // search box opens the site's search with the words of the address.
  const notFound = () => {
    const form = document.querySelector(".sop-not-found");
    if (!form) return;
    const root = new URL((form.dataset.root || "/").replace(/\/?$/, "/"), location.href);
    if (root.origin !== location.origin) return; // only ever to another page of this site
    const missing = new URLSearchParams(location.search).get("from") || location.pathname; // the address asked for
    const rest = missing.startsWith(root.pathname) ? missing.slice(root.pathname.length) : "";
    const lang = rest.split("/")[0];
    if (lang && (form.dataset.elsewhere || "").split(" ").includes(lang)) {
      location.replace(new URL(`${lang}/404.html?from=${encodeURIComponent(missing)}`, root));
      return;
    }
    const field = form.querySelector("input");
    const skip = ["404.html", document.documentElement.lang];
    const last = rest.split("/").filter((part) => part && !skip.includes(part)).pop() || "";
    field.value = decodeURIComponent(last).replace(/\.html?$/, "").replace(/[-_]+/g, " ");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const box = document.querySelector(".md-search__input");
      if (!box) return;
      const toggle = document.getElementById("__search");
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
      box.value = field.value;
      box.focus();
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  };

  // A table wider than a phone scrolls sideways in its own box: the box takes the keyboard's focus, so that
  // it can be scrolled without a mouse.
  const scrollers = () => {
    for (const box of document.querySelectorAll(".md-typeset__scrollwrap, .sop-history")) {
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    }
  };

  // English shown on a page of another language is marked lang="en" in the article (soplib.publish.page);
  // the header's title and the table of contents repeat its words, so they say so too.
  const languages = () => {
    const title = document.querySelector("h1 [lang]");
    const topic = document.querySelector('[data-md-component="header-topic"] .md-ellipsis');
    if (title && topic) topic.lang = title.lang;
    for (const link of document.querySelectorAll('.md-nav--secondary a[href^="#"]')) {
      const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      const marked = target?.closest("[lang]");
      if (marked && marked !== document.documentElement) link.lang = marked.lang;
    }
  };

  languages();
  highlight();
  printLine();
  notFound();
  window.addEventListener("beforeprint", printLine);
  window.addEventListener("load", scrollers);
  window.addEventListener("resize", scrollers);
})();
