// "Changed since you last read" and "What's new for me", with no login and no server: this browser keeps,
// in localStorage and on this device only, the day of each visit, the version of each SOP it last showed and
// the team and role picked on the "What's new" page. The pages hold the rest (soplib.publish.reader and
// soplib.publish.whatsnew): an SOP page its id, version and a hidden notice listing its versions of meaning.
(() => {
  const KEY = "sop-library";
  const NOTICES = "sop-library-notices"; // per tab: a notice stays for the session once it was shown

  // Storage may be off (a browser's setting, a sandboxed frame): even reading window.localStorage throws.
  const read = (storage, key) => {
    try {
      const found = JSON.parse(window[storage].getItem(key) || "{}");
      return found && typeof found === "object" && !Array.isArray(found) ? found : {};
    } catch { return {}; }
  };
  const write = (storage, key, value) => {
    try { window[storage].setItem(key, JSON.stringify(value)); } catch { /* nothing is remembered */ }
  };
  const numbers = (version) => String(version).split(".").map((part) => parseInt(part, 10) || 0);
  const newer = (a, b) => { // is version a after version b?
    const [x, y] = [numbers(a), numbers(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) > (y[i] || 0);
    }
    return false;
  };
  const day = (date) => [date.getFullYear(), date.getMonth() + 1, date.getDate()]
    .map((n, i) => String(n).padStart(i ? 2 : 4, "0")).join("-");
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => values[name] ?? all);

  const state = read("localStorage", KEY);
  for (const part of ["read", "visit", "filter"]) {
    if (!state[part] || typeof state[part] !== "object") state[part] = {}; // another script's or an old value
  }
  const today = day(new Date());
  if (state.visit.last !== today) { // a new day's first page: the last visit becomes the previous one
    state.visit.previous = state.visit.last || null;
    state.visit.last = today;
  }

  // -- an SOP page: the notice, then remember the version shown ------------------------------------------
  const page = document.querySelector(".sop-reader[data-sop-id]");
  if (page) {
    const { sopId: id, sopVersion: version } = page.dataset;
    const notices = read("sessionStorage", NOTICES);
    const before = notices[id] || state.read[id];
    const box = page.querySelector(".sop-changed");
    const since = before && box
      ? [...box.querySelectorAll("li[data-version]")]
        .filter((li) => newer(li.dataset.version, before) && !newer(li.dataset.version, version))
      : [];
    if (since.length) {
      since.forEach((li) => { li.hidden = false; });
      box.querySelector(".sop-changed__read").textContent = before;
      box.classList.add("admonition", "info"); // the theme's look; not an admonition while hidden
      box.hidden = false;
      notices[id] = before;
      write("sessionStorage", NOTICES, notices);
      box.querySelector(".sop-changed__done").addEventListener("click", () => {
        box.hidden = true;
        delete notices[id];
        write("sessionStorage", NOTICES, notices);
      });
    }
    state.read[id] = version;
  }
  write("localStorage", KEY, state);

  // -- the "What's new for me" page --------------------------------------------------------------------
  const whatsnew = document.querySelector(".sop-whatsnew[data-source]");
  if (!whatsnew) return;
  const words = whatsnew.dataset;
  const form = whatsnew.querySelector(".sop-whatsnew__filters");
  const list = whatsnew.querySelector(".sop-whatsnew__list");
  const heading = whatsnew.querySelector(".sop-whatsnew__since");
  whatsnew.querySelector(".sop-whatsnew__noscript")?.setAttribute("hidden", "");
  for (const select of form.querySelectorAll("select")) select.value = state.filter[select.name] || "";

  const first = new Date();
  first.setDate(first.getDate() - (parseInt(words.firstDays, 10) || 30));
  const since = state.visit.previous || day(first);

  // What is new for this reader in one SOP: the versions after the one they read, else those that reached
  // the site on or after the previous visit's day.
  const fresh = (sop) => sop.changes.filter((change) => (state.read[sop.id]
    ? newer(change.version, state.read[sop.id])
    : change.seen >= since));

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const link = (href, text, className) => Object.assign(element("a", className, text), { href });

  const entry = (sop, changes) => {
    const li = element("li", "sop-whatsnew__sop");
    const title = element("p", "sop-whatsnew__title");
    title.append(element("strong", "", sop.id), " ", link(sop.url, sop.title), ` · ${sop.status}`);
    li.append(title);
    if (state.read[sop.id]) li.append(element("p", "sop-whatsnew__read", fill(words.textRead, { version: state.read[sop.id] })));
    const versions = element("ul", "sop-whatsnew__changes");
    for (const change of changes) {
      const item = element("li");
      const upcoming = change.date > today ? ` · ${words.textUpcoming}` : "";
      item.append(element("strong", "", change.version), ` · ${change.date}${upcoming} · ${change.type}: ${change.summary}`);
      if (change.diff) item.append(" ", link(change.diff, words.textDiff));
      versions.append(item);
    }
    li.append(versions);
    return li;
  };

  const show = (data) => {
    const chosen = Object.fromEntries(new FormData(form));
    const found = data.sops
      .filter((sop) => !chosen.team || sop.team === chosen.team)
      .filter((sop) => !chosen.audience || sop.audience.includes(chosen.audience))
      .map((sop) => [sop, fresh(sop)])
      .filter(([, changes]) => changes.length)
      .sort(([, a], [, b]) => (b[0].seen > a[0].seen ? 1 : b[0].seen < a[0].seen ? -1 : 0));
    const older = since < data.from; // the page's data starts later than the reader's last visit
    const intro = older ? words.textWindow : state.visit.previous ? words.textVisit : words.textFirst;
    heading.textContent = fill(found.length ? intro : words.textEmpty, { date: older ? data.from : since });
    list.replaceChildren(...found.map(([sop, changes]) => entry(sop, changes)));
  };

  fetch(words.source)
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}))
    .then((found) => {
      const data = { from: since, ...found, sops: Array.isArray(found?.sops) ? found.sops : [] };
      show(data);
      form.addEventListener("change", () => {
        state.filter = Object.fromEntries(new FormData(form));
        write("localStorage", KEY, state);
        show(data);
      });
    });
})();
