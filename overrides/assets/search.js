// Pagefind search in Material's search dialog (overrides/partials/search.html).
//
// Nothing is fetched until the search is opened (its button, a click in the field, or "/", "s",
// "f"). Opening it starts loading Pagefind (its script, its WebAssembly, the index's metadata)
// and the list of the index's chunks while the reader types; each keystroke fetches the chunks
// of the words typed so far (from that list until Pagefind is there), and the search runs once
// they are there and the typing pauses; each of the first results is shown as soon as its page
// fragment arrives, in rank order. More are fetched only on demand.
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
  const language = document.documentElement.lang || "unknown"; // the main bundle's index's
  const FILTERS = { topic: "Topic", design: "Design", status: "Review status", page: "Page" };
  const CHINESE = /\p{Script=Han}/u; // such a query also searches the bundle of Chinese quotes
  const CHINESE_BUNDLE = "zh"; // its language, and its folder's suffix (search.py)
  const SHOWN = 5; // results fetched at first, and per "more": one page fragment each
  // Each bundle's index metadata, by language: the build writes its names here once Pagefind
  // has run (search.py), so that it is fetched beside Pagefind's script rather than after the
  // entry file that names it (one round trip less: half a second on a slow line).
  const META = {};
  // Each bundle's index chunks in the page's language, [first word, last word, file] in word
  // order, the words in UTF-8 (`chunks.json`, written by search.py): a promise, from the
  // opening of the search.
  const CHUNKS = {};
  const PREFETCH_AT_MOST = 2; // chunks for a word: a word's first letters are in many chunks
  const prefetched = new Set(); // chunk files asked for
  const utf8 = new TextEncoder();
  let pagefind = null; // a promise of the module, from the first use of the field
  let chinese = null; // a promise of the Chinese bundle merged into the search
  let filtersShown = false;
  let current = 0; // the latest search: an older one's results are dropped
  let found = [];
  let busy = false; // a search is running
  let waiting = false; // another was asked for meanwhile
  let pause = 0; // the timer of a pause in the typing
  const PAUSE_MS = 150; // longer than between the keys of a word, shorter than a reader notices

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
    // that saves round trips (Pagefind then gets them from the HTTP cache). So is each bundle's
    // chunk list (`prefetch`). The Chinese bundle's too (2-10 KB), in case the query is Chinese.
    // Search runs on the main thread: a worker would be one more script to fetch first.
    const pick = (languages) => languages[language] ?? Object.values(languages)[0];
    const early = (bundle) => {
      const entry = fetch(new URL(`${bundle}/pagefind-entry.json?ts=${tag}`, base))
        .then((response) => response.json());
      CHUNKS[bundle] = fetch(new URL(`${bundle}/chunks.json?ts=${tag}`, base))
        .then((response) => response.json()).then(pick)
        .then((chunks) => chunks.map(([from, to, file]) => [utf8.encode(from), utf8.encode(to), file]))
        .catch(() => []);
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

  // Fetches into the browser's cache the index chunks that can hold the words typed so far,
  // while Pagefind's own files are still on their way (Pagefind then finds them there). The
  // last word may still grow: every chunk holding a word it starts is fetched, once they are
  // few enough.
  function prefetch(query) {
    const bundles = { pagefind: language };
    if (CHINESE.test(query)) bundles[`pagefind-${CHINESE_BUNDLE}`] = CHINESE_BUNDLE;
    for (const [bundle, indexed] of Object.entries(bundles)) {
      CHUNKS[bundle]?.then((chunks) => {
        for (const word of lookedUp(query, indexed)) {
          const files = chunksStarting(word, chunks);
          for (const file of files.length <= PREFETCH_AT_MOST ? files : []) {
            if (prefetched.has(file)) continue;
            prefetched.add(file);
            fetch(new URL(`${bundle}/index/${file}.pf_index`, base)).catch(() => {});
          }
        }
      });
    }
  }

  // The words Pagefind looks up for `query` (its search()): without punctuation, in lower case,
  // split into words for a language written without spaces, without diacritics.
  const PUNCTUATION = /^[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]$/u;
  function lookedUp(query, indexed) {
    const letters = (text) => [...new Intl.Segmenter(indexed, { granularity: "grapheme" }).segment(text)]
      .map(({ segment }) => segment).filter((g) => !PUNCTUATION.test(g))
      .map((g) => g.toLocaleLowerCase()).join("");
    const words = /^(zh|ja|th)\b/i.test(indexed)
      ? [...new Intl.Segmenter(indexed, { granularity: "word" }).segment(query)].map(({ segment }) => letters(segment))
      : [letters(query)];
    return words.join(" ").normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean);
  }

  // The files of the chunks that can hold a word starting with `start`: those whose last word
  // is not before it and whose first word, cut to its length, is not after it (Pagefind orders
  // words by their UTF-8 bytes).
  function chunksStarting(start, chunks) {
    const word = utf8.encode(start);
    return chunks.filter(([from, to]) => order(to, word) >= 0
      && order(from.subarray(0, word.length), word) <= 0).map(([, , file]) => file);
  }

  function order(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
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

  // Each keystroke fetches the index chunks of the words typed so far; the search runs once
  // they are there and the reader has paused (`PAUSE_MS`), if the query is still the same. A
  // search of thousands of pages takes half a second on a slow phone and holds the page: one
  // per keystroke would hold the typing, and the last query's search behind the one before.
  function typed(event) {
    if (event?.isComposing) return; // an input method is composing: wait for its word
    const query = input.value.trim();
    const filters = chosenFilters();
    clearTimeout(pause);
    if (tooShort(query)) return search();
    prefetch(query);
    const paused = new Promise((resolve) => { pause = setTimeout(resolve, PAUSE_MS); });
    ready(query)
      .then((module) => input.value.trim() === query && module.preload(query, { filters }))
      .then(() => paused)
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
