// Pagefind search in Material's search dialog (overrides/partials/search.html).
//
// Nothing is fetched until the search is opened (its button, a click in the field, or "/", "s",
// "f"). Opening it starts loading Pagefind (its script, its WebAssembly, the index's metadata)
// while the reader types; each keystroke asks Pagefind to fetch the index chunks of the words
// typed so far, and the search runs as soon as they are there; each of the first results is
// shown as soon as its page fragment arrives, in rank order. More are fetched only on demand.
// Card text is data: titles are set as text, and of an excerpt only Pagefind's <mark> becomes
// an element.
(() => {
  "use strict";
  const form = document.querySelector("form[data-pagefind-search]");
  if (!form) return;
  const config = JSON.parse(document.getElementById("__config").textContent);
  const t = config.translations;
  const toggle = document.getElementById("__search");
  const input = form.elements.namedItem("query");
  const output = document.getElementById("pagefind-results");
  const meta = output.querySelector(".md-search-result__meta");
  const list = output.querySelector(".md-search-result__list");
  const more = output.querySelector(".pagefind-more");
  const filterBar = output.querySelector(".pagefind-filters");
  const base = new URL(config.base.replace(/\/?$/, "/"), location.href);
  const tag = form.dataset.pagefindSearch; // the build: the index's entry files are cached under it
  const FILTERS = { topic: "Topic", design: "Design", status: "Review status", page: "Page" };
  const CHINESE = /\p{Script=Han}/u; // such a query also searches the bundle of Chinese quotes
  const CHINESE_BUNDLE = "zh"; // its language, and its folder's suffix (search.py)
  const SHOWN = 5; // results fetched at first, and per "more": one page fragment each
  // Each bundle's index metadata, by language: the build writes its names here once Pagefind
  // has run (search.py), so that it is fetched beside Pagefind's script rather than after the
  // entry file that names it (one round trip less: half a second on a slow line).
  const META = {};
  let pagefind = null; // a promise of the module, from the first use of the field
  let chinese = null; // a promise of the Chinese bundle merged into the search
  let filtersShown = false;
  let current = 0; // the latest search: an older one's results are dropped
  let found = [];
  let busy = false; // a search is running
  let waiting = false; // another was asked for meanwhile

  const say = (text) => { meta.textContent = text; };
  const tooShort = (query) => query.length < 2 && !CHINESE.test(query);

  function load() {
    if (location.protocol === "file:") {
      return Promise.reject(new Error(
        "Search needs the site to be served over HTTP: a browser does not let a page opened " +
        "from a file load the search index. Serve the site folder (for example: " +
        "python3 -m http.server --directory site) and open it from there."));
    }
    if (pagefind) return pagefind;
    // Pagefind reads its entry file, then the index's metadata and its WebAssembly. All three
    // are fetched now, beside Pagefind's script, rather than after it one by one: on a slow line
    // that saves round trips (Pagefind then gets them from the HTTP cache). The Chinese
    // bundle's too (2-10 KB), in case the query is Chinese. Search runs on the main thread: a
    // worker would be one more script to fetch first.
    const language = document.documentElement.lang || "unknown";
    const pick = (languages) => languages[language] ?? Object.values(languages)[0];
    const early = (bundle) => {
      const entry = fetch(new URL(`${bundle}/pagefind-entry.json?ts=${tag}`, base))
        .then((response) => response.json());
      const hash = META[bundle] ? Promise.resolve(pick(META[bundle]))
        : entry.then((found) => pick(found.languages).hash);
      hash.then((name) => fetch(new URL(`${bundle}/pagefind.${name}.pf_meta`, base))).catch(() => {});
      entry.catch(() => {});
    };
    early("pagefind");
    early(`pagefind-${CHINESE_BUNDLE}`);
    fetch(new URL(`pagefind/wasm.${language}.pagefind`, base)).catch(() => {});
    pagefind = import(new URL("pagefind/pagefind.js", base).href).then(async (module) => {
      await module.options({ baseUrl: base.pathname, excerptLength: 24, metaCacheTag: tag, noWorker: true });
      await module.init();
      return module;
    });
    return pagefind;
  }

  async function ready(query) {
    const module = await load();
    if (CHINESE.test(query)) {
      const bundle = new URL(`pagefind-${CHINESE_BUNDLE}/`, base).href;
      chinese ??= module.mergeIndex(bundle, { language: CHINESE_BUNDLE, metaCacheTag: tag });
      await chinese;
    }
    return module;
  }

  async function showFilters(module) {
    filtersShown = true;
    const available = await module.filters(); // one file per filter: after the first results
    for (const [name, label] of Object.entries(FILTERS)) {
      const values = Object.keys(available[name] ?? {}).sort();
      if (!values.length) continue;
      const select = document.createElement("select");
      select.name = name;
      select.setAttribute("aria-label", label);
      select.add(new Option(`${label}: any`, ""));
      for (const value of values) select.add(new Option(value, value));
      select.addEventListener("change", () => search());
      filterBar.append(select);
    }
    filterBar.hidden = !filterBar.children.length;
  }

  const chosenFilters = () => Object.fromEntries(
    [...filterBar.querySelectorAll("select")].filter((s) => s.value).map((s) => [s.name, s.value]));

  // Each keystroke fetches the index chunks of the words typed so far; once they are there,
  // the search runs, if the query is still the same (so results follow the typing, and the
  // last query's chunks and fragments are mostly fetched before its last key).
  function typed(event) {
    if (event?.isComposing) return; // an input method is composing: wait for its word
    const query = input.value.trim();
    const filters = chosenFilters();
    if (tooShort(query)) return search();
    ready(query)
      .then((module) => input.value.trim() === query && module.preload(query, { filters }))
      .then(() => input.value.trim() === query && search())
      .catch((error) => say(error.message));
  }

  // One search at a time: a search asked for meanwhile runs once, after it, with the query of
  // then (at thousands of matches a search takes a few hundred ms on a slow phone; searches
  // queued per keystroke would hold the last one back).
  async function search() {
    if (busy) {
      waiting = true;
      return;
    }
    busy = true;
    try {
      await run();
    } finally {
      busy = false;
    }
    if (waiting) {
      waiting = false;
      search();
    }
  }

  async function run() {
    const id = ++current;
    const query = input.value.trim();
    const filters = chosenFilters();
    if (tooShort(query) && !Object.keys(filters).length) {
      found = [];
      list.replaceChildren();
      more.hidden = true;
      return say(t["search.result.placeholder"]);
    }
    let module;
    let answer;
    try {
      module = await ready(query);
      answer = await module.search(tooShort(query) ? null : query, { filters });
    } catch (error) {
      return say(error.message);
    }
    if (id !== current) return; // a newer search replaced this one
    found = answer.results;
    const count = found.length;
    say(count === 0 ? t["search.result.none"]
      : count === 1 ? t["search.result.one"] : t["search.result.other"].replace("#", count));
    list.replaceChildren();
    list.dataset.query = query; // what the results are of (benchmarks/search_bench.py waits on it)
    show(id).then(() => filtersShown || showFilters(module));
  }

  // The next results, each shown as soon as its fragment arrives (in rank order: a slot each).
  async function show(id) {
    const start = list.children.length;
    const slots = found.slice(start, start + SHOWN).map((result) => {
      const li = list.appendChild(document.createElement("li"));
      li.className = "md-search-result__item";
      li.hidden = true;
      return result.data().then((page) => { if (id === current) fill(li, page); });
    });
    more.hidden = true;
    await Promise.allSettled(slots);
    if (id === current) more.hidden = list.children.length >= found.length;
  }

  function fill(li, page) {
    const link = li.appendChild(document.createElement("a"));
    link.className = "md-search-result__link";
    // A study's Chinese text (pagefind-zh/) is found at a finding: link to the first one.
    const at = page.meta.lang ? page.sub_results.find((s) => s.url.includes("#")) : null;
    link.href = at?.url ?? page.url;
    const article = link.appendChild(document.createElement("div")); // a link's name is its text
    article.className = "md-search-result__article md-typeset";
    article.appendChild(document.createElement("div")).className = "md-search-result__icon md-icon";
    const title = page.meta.title ?? page.url;
    article.appendChild(document.createElement("h1")).textContent = at ? `${title}: ${at.title}` : title;
    const excerpt = article.appendChild(document.createElement("p"));
    excerpt.append(...marked(at?.excerpt ?? page.excerpt));
    if (page.meta.lang) excerpt.lang = page.meta.lang;
    li.hidden = false;
  }

  // Pagefind's excerpt is the page's text with < and > written as entities and each match in
  // <mark>: the marks become elements, everything else text (entities decoded, never parsed).
  function marked(excerpt) {
    // "x" first: an HTML document drops the white space it starts with ("sacroiliitis during"
    // would read "sacroiliitisduring" after a mark).
    const text = (html) => new DOMParser().parseFromString(`x${html}`, "text/html").documentElement.textContent.slice(1);
    return excerpt.split(/(<mark>[^<]*<\/mark>)/).filter(Boolean).map((part) => {
      if (!/^<mark>[^<]*<\/mark>$/.test(part)) return document.createTextNode(text(part));
      const mark = document.createElement("mark");
      mark.textContent = text(part.slice(6, -7));
      return mark;
    });
  }

  const open = () => { toggle.checked = true; input.focus(); input.select(); load().catch(() => {}); };
  const close = () => { toggle.checked = false; input.blur(); };
  toggle.addEventListener("change", () => toggle.checked && open());
  input.addEventListener("focus", () => { toggle.checked = true; load().catch((e) => say(e.message)); });
  input.addEventListener("input", typed);
  input.addEventListener("compositionend", () => typed());
  more.addEventListener("click", () => show(current));
  form.addEventListener("submit", (event) => { event.preventDefault(); list.querySelector("a")?.click(); });
  form.addEventListener("reset", () => setTimeout(search));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    // As Material: a key is the page's unless it is typed into a text field (the palette's
    // toggle is a radio button, for instance).
    const target = event.target;
    const typing = target instanceof HTMLInputElement ? !["radio", "checkbox"].includes(target.type)
      : target instanceof HTMLElement && target.closest("textarea, select, [contenteditable]");
    if (!toggle.checked) {
      if (!typing && ["/", "s", "f"].includes(event.key)) { event.preventDefault(); open(); }
      return;
    }
    if (event.key === "Escape") { event.preventDefault(); close(); return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const stops = [input, ...list.querySelectorAll("a")];
      const at = stops.indexOf(document.activeElement);
      const step = event.key === "ArrowDown" ? 1 : -1;
      stops[(Math.max(at, 0) + step + stops.length) % stops.length].focus();
      event.preventDefault();
    }
  });
})();
