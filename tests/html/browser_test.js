// Opens byos-audit's HTML reports in a real headless chromium and checks
// what a reader's browser would do with them: the page loads clean and
// fetches nothing, its counts agree with the SARIF of the same run, the
// filters and sorting work, and an estate full of markup runs none of it.
// browser_test.sh writes the reports and calls this; it prints one line per
// check and exits 1 when any fails.
//
//   node browser_test.js WORK_DIR ARTIFACTS_DIR HOSTILE_FIXTURE CHROMIUM
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");

const [work, artifacts, fixture, chromium] = process.argv.slice(2);

// Limits on one browser step and on the whole run, so that a hang fails
// the test instead of stalling it.
const step_ms = 15000;
const run_ms = 100000;

// What the hostile fixture plants. Each must be in the fixture and must
// come out as visible text, character for character.
const payloads = [
  "<script>window.__pwned=1</script>",
  "\"><img src=x onerror=\"window.__pwned=2\">",
  "' onmouseover='window.__pwned=3",
  "javascript:window.__pwned=4",
  "</style><script>window.__pwned=5</script>",
  "<svg onload=window.__pwned=6>",
  "<iframe srcdoc=\"<script>parent.__pwned=7</script>\"></iframe>",
  "<img src=x onerror=alert(8)>",
  "<script>alert(9)</script>",
  "<img src=x onerror=alert(10)>",
  "'\"><svg onload=window.__pwned=11>",
  "\"><script>window.__pwned=12</script>",
  "<iframe src=\"javascript:window.__pwned=13\">",
  "<iframe onload=window.__pwned=14>",
  "<b onclick=window.__pwned=15>speech",
  "<marquee onstart=window.__pwned=16>",
  "<svg/onload=window.__pwned=17>",
  "<img src=x onerror=window.__pwned=19>",
  "<script>window.__pwned=20</script>",
  "--><script>window.__pwned=21</script><!--",
  "</title><script>window.__pwned=22</script>",
  "<object data=\"javascript:window.__pwned=23\"></object>",
  "&lt;b&gt;not bold&lt;/b&gt; &amp;",
];

let passed = 0;
let failed = 0;

function check(ok, what, detail)
{
  if (ok) {
    passed++;
    console.log(`ok - ${what}`);
    return;
  }
  failed++;
  console.log(`not ok - ${what}`);
  for (const line of [].concat(detail ?? []).slice(0, 10))
    console.log(`  # ${line}`);
}

function finish()
{
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

function report(name)
{
  const dir = path.join(work, name);
  return {
    name,
    html: path.join(dir, "byos-audit.html"),
    sarif: path.join(dir, "byos-audit.sarif"),
    rc: Number(fs.readFileSync(path.join(work, `${name}.rc`), "utf8")),
    log: fs.readFileSync(path.join(work, `${name}.log`), "utf8"),
  };
}

// A page with everything that would show a problem recorded in `trouble`:
// console errors and warnings (chromium logs a CSP block as an error),
// uncaught errors, dialogs, and any request but the page itself, which is
// refused before it leaves.
async function open(browser, file, { bypass_csp = false } = {})
{
  const page = await browser.newPage();
  page.setDefaultTimeout(step_ms);
  page.setDefaultNavigationTimeout(step_ms);
  const url = pathToFileURL(file).href;
  const trouble = [];

  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warn")
      trouble.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => trouble.push(`page error: ${error}`));
  page.on("dialog", (dialog) => {
    trouble.push(`dialog ${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (request.url() === url)
      return void request.continue().catch(() => {});
    trouble.push(`request: ${request.url()}`);
    request.abort().catch(() => {});
  });

  // Injected by the debugger, so the page's CSP does not stop it.
  await page.evaluateOnNewDocument(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      const { violatedDirective, blockedURI } = event;
      window.__violations.push(`${violatedDirective} ${blockedURI}`);
    }, true);
  });
  if (bypass_csp)
    await page.setBypassCSP(true);

  await page.goto(url, { waitUntil: "load" });
  return { page, trouble };
}

function sarif_counts(file)
{
  const run = JSON.parse(fs.readFileSync(file, "utf8")).runs[0];
  const by_level = { error: 0, warning: 0, note: 0 };
  const failed_by_rule = {};
  const kinds = new Set();
  for (const result of run.results) {
    kinds.add(result.kind ?? "fail");
    by_level[result.level] = (by_level[result.level] ?? 0) + 1;
    failed_by_rule[result.ruleId] = (failed_by_rule[result.ruleId] ?? 0) + 1;
  }

  // A rule that could not be evaluated is a notification naming the rule.
  // A failed request that belongs to no pair (a Speech account list) is a
  // notification naming none, and the page does not count it.
  const not_evaluated_by_rule = {};
  const notifications =
    run.invocations[0].toolExecutionNotifications ?? [];
  const unowned = [];
  let not_evaluated = 0;
  for (const n of notifications) {
    if (!n.associatedRule) {
      unowned.push(n.message.text);
      continue;
    }
    not_evaluated++;
    const id = n.associatedRule.id;
    not_evaluated_by_rule[id] = (not_evaluated_by_rule[id] ?? 0) + 1;
  }
  return { by_level, failed_by_rule, not_evaluated, not_evaluated_by_rule,
           unowned, kinds: [...kinds] };
}

async function page_counts(page)
{
  return page.evaluate(() => {
    const counts = {};
    for (const cell of document.querySelectorAll("#counts td[data-count]"))
      counts[cell.dataset.count] = Number(cell.textContent.trim());
    const rows = Array.from(document.querySelectorAll("tr.outcome"),
      (row) => ({ ...row.dataset }));
    const rules = {};
    for (const row of document.querySelectorAll("#rules tbody tr")) {
      const n = (i) => Number(row.cells[i].textContent.trim());
      rules[row.dataset.rule] = { failed: n(3), not_evaluated: n(4) };
    }
    const not_audited =
      document.getElementById("not-audited")?.innerText ?? "";
    return { counts, rows, rules, not_audited };
  });
}

// The checks every report gets: it loads clean, the script ran, and its
// numbers agree with the SARIF written by the same run.
async function check_loads(browser, r, expect_rc)
{
  check(expect_rc.includes(r.rc), `${r.name}: byos-audit exits ${r.rc}`,
        r.log.trim().split("\n"));
  const { page, trouble } = await open(browser, r.html);
  check(trouble.length === 0,
        `${r.name}: loads with no console error or warning, page error, ` +
        "dialog or request beyond the file itself", trouble);
  const violations = await page.evaluate(() => window.__violations);
  check(violations.length === 0,
        `${r.name}: no Content-Security-Policy violation`, violations);
  const shown = await page.$eval("#filters", (form) =>
    !form.hidden && form.checkVisibility());
  check(shown, `${r.name}: the inline script ran and showed the filters`);

  await check_counts(page, r);
  return page;
}

async function check_counts(page, r)
{
  const sarif = sarif_counts(r.sarif);
  const { counts, rows, rules, not_audited } = await page_counts(page);
  const failed_rows = rows.filter((row) => row.status === "failed");

  check(sarif.kinds.every((kind) => kind === "fail"),
        `${r.name}: every SARIF result is a failure (no pass results)`,
        sarif.kinds);
  for (const level of ["error", "warning", "note"])
    check(counts[level] === sarif.by_level[level],
          `${r.name}: ${counts[level]} ${level}s in the page, ` +
          `${sarif.by_level[level]} in the SARIF`);
  check(counts["not-evaluated"] === sarif.not_evaluated,
        `${r.name}: ${counts["not-evaluated"]} not evaluated in the page, ` +
        `${sarif.not_evaluated} SARIF notifications naming a rule`);

  // A finding on a shared storage account is one SARIF result but a row in
  // each pair that uses the account, so rows can only outnumber results.
  for (const level of ["error", "warning", "note"]) {
    const n = failed_rows.filter((row) => row.level === level).length;
    check(n >= sarif.by_level[level],
          `${r.name}: ${n} failed ${level} rows cover ` +
          `${sarif.by_level[level]} SARIF results`);
  }
  const missing = Object.keys(sarif.failed_by_rule).filter((id) =>
    !failed_rows.some((row) => row.rule === id));
  check(missing.length === 0,
        `${r.name}: every rule of a SARIF result has a failed row`, missing);
  const unlisted = Object.keys(sarif.not_evaluated_by_rule).filter((id) =>
    !rows.some((row) => row.rule === id && row.status === "not-evaluated"));
  check(unlisted.length === 0,
        `${r.name}: every rule SARIF reports not evaluated has a ` +
        "not-evaluated row", unlisted);

  const unshown = sarif.unowned.filter((text) => !not_audited.includes(text));
  check(unshown.length === 0,
        `${r.name}: SARIF notifications naming no rule (` +
        `${sarif.unowned.length}, failed requests) are under Not audited`,
        unshown);

  const disagree = Object.entries(rules).filter(([id, row]) =>
    row.failed !== (sarif.failed_by_rule[id] ?? 0) ||
    row.not_evaluated !== (sarif.not_evaluated_by_rule[id] ?? 0))
    .map(([id, row]) => `${id}: page ${JSON.stringify(row)}, SARIF ` +
         `${sarif.failed_by_rule[id] ?? 0} failed, ` +
         `${sarif.not_evaluated_by_rule[id] ?? 0} not evaluated`);
  check(disagree.length === 0,
        `${r.name}: the table of outcomes by rule agrees with the SARIF ` +
        "rule by rule", disagree);

  for (const status of ["passed", "not-applicable"]) {
    const n = rows.filter((row) => row.status === status).length;
    check(counts[status] === n,
          `${r.name}: ${counts[status]} ${status} in the summary, ${n} rows`);
  }
}

// Rows a reader can see: neither the row nor its pair is hidden.
async function visible_rows(page)
{
  return page.$$eval("tr.outcome", (rows) => rows
    .filter((row) => row.checkVisibility())
    .map((row) => ({
      ...row.dataset,
      pair: row.closest("section.pair").id,
      pair_text: row.closest("section.pair").textContent.toLowerCase(),
    })));
}

async function shown_text(page)
{
  return page.$eval("#shown", (output) => output.textContent.trim());
}

async function set_filter(page, name, value)
{
  if (name === "search") {
    // Typed key by key, as a reader would; each key fires `input`.
    await page.$eval("#filter-search", (input) => { input.value = ""; });
    await page.type("#filter-search", value);
    if (value === "")
      await page.$eval("#filter-search", (input) =>
        input.dispatchEvent(new Event("input", { bubbles: true })));
    return;
  }
  // Sets the value and fires `input` and `change`, as a reader's pick does.
  await page.select(`#filter-${name}`, value);
}

async function check_filters(page, r)
{
  const all = await page.$$eval("tr.outcome", (rows) =>
    rows.map((row) => ({ ...row.dataset })));
  const total = all.length;
  const count = (pred) => all.filter(pred).length;

  check(await shown_text(page) === `${total} of ${total} rows shown`,
        `${r.name}: #shown starts at ${total} of ${total} rows`,
        await shown_text(page));

  await set_filter(page, "level", "error");
  let rows = await visible_rows(page);
  const errors = count((row) => row.level === "error");
  check(rows.length > 0 && rows.length < total &&
          rows.every((row) => row.level === "error") &&
          rows.length === errors,
        `level=error: ${rows.length} of ${total} rows visible, all errors ` +
        `(${errors} error rows)`);
  check(await shown_text(page) === `${rows.length} of ${total} rows shown`,
        "level=error: #shown counts the visible rows", await shown_text(page));

  await set_filter(page, "level", "");
  await set_filter(page, "status", "failed");
  rows = await visible_rows(page);
  const failures = count((row) => row.status === "failed");
  check(rows.length === failures &&
          rows.every((row) => row.status === "failed"),
        `status=failed: ${rows.length} visible, ${failures} failed rows`);

  await set_filter(page, "level", "error");
  rows = await visible_rows(page);
  const both = count((row) => row.status === "failed" && row.level === "error");
  check(rows.length === both &&
          await shown_text(page) === `${both} of ${total} rows shown`,
        `status=failed and level=error: ${rows.length} visible, ${both} ` +
        "such rows");
  await set_filter(page, "level", "");
  await set_filter(page, "status", "");

  await check_search(page, total);
  await check_scope_filter(page, "subscription", "subscriptions");
  await check_scope_filter(page, "group", "groups");

  for (const name of ["level", "rule", "status", "subscription", "group"])
    await set_filter(page, name, "");
  await set_filter(page, "search", "");
  rows = await visible_rows(page);
  check(rows.length === total &&
          await shown_text(page) === `${total} of ${total} rows shown`,
        `reset: all ${total} rows visible again`, await shown_text(page));
}

// A storage account that two Speech accounts share: the search keeps both
// pairs, every row of them, and nothing else.
async function check_search(page, total)
{
  const name = "stfabrikamvoiceus";
  const mentioning = await page.$$eval("section.pair", (pairs, name) =>
    pairs.filter((p) => p.textContent.toLowerCase().includes(name))
      .map((p) => ({ rows: p.querySelectorAll("tr.outcome").length })),
  name);
  await set_filter(page, "search", "StFabrikamVoiceUS");
  const rows = await visible_rows(page);
  const expected = mentioning.reduce((sum, p) => sum + p.rows, 0);
  const pairs = new Set(rows.map((row) => row.pair));
  check(mentioning.length === 2 && rows.length === expected &&
          rows.length < total && pairs.size === 2 &&
          rows.every((row) => row.pair_text.includes(name)),
        `search "${name}": ${rows.length} rows visible in ${pairs.size} ` +
        `pairs, the ${expected} rows of the ${mentioning.length} pairs ` +
        "naming it");
  check(await shown_text(page) === `${rows.length} of ${total} rows shown`,
        `search "${name}": #shown counts the visible rows`);
  await set_filter(page, "search", "");
}

// Picks the last option of a subscription or resource group filter and
// checks that only pairs in that scope stay.
async function check_scope_filter(page, name, attribute)
{
  const value = await page.$eval(`#filter-${name}`, (select) =>
    select.options[select.options.length - 1].value);
  await set_filter(page, name, value);
  const visible = await page.$$eval("section.pair", (pairs, attribute) =>
    pairs.filter((p) => p.checkVisibility())
      .map((p) => p.dataset[attribute].split("/")), attribute);
  const expected = await page.$$eval("section.pair", (pairs, a, v) =>
    pairs.filter((p) => p.dataset[a].split("/").includes(v)).length,
  attribute, value);
  check(visible.length > 0 && visible.length === expected &&
          visible.every((list) => list.includes(value)),
        `${name}=${value}: the pairs visible are the ${expected} in that ` +
        `scope (${visible.length})`);
  await set_filter(page, name, "");
}

// Sorting the largest outcomes table by rule puts its rows in rule order,
// and a second click reverses them.
async function check_sorting(page)
{
  const table = await page.evaluateHandle(() =>
    Array.from(document.querySelectorAll("table.outcomes")).sort((a, b) =>
      b.tBodies[0].rows.length - a.tBodies[0].rows.length)[0]);
  const rules = () => table.evaluate((t) =>
    Array.from(t.tBodies[0].rows, (row) => row.cells[2].textContent.trim()));
  const before = await rules();
  const ascending = [...before].sort((a, b) =>
    a.localeCompare(b, undefined, { numeric: true }));
  const button = await table.$("thead th:nth-child(3) button");
  check(button !== null, "sorting: the rule header is a button");
  if (!button)
    return;

  await button.click();
  const once = await rules();
  const sort = await table.$eval("thead th:nth-child(3)", (th) =>
    th.getAttribute("aria-sort"));
  check(JSON.stringify(before) !== JSON.stringify(ascending) &&
          JSON.stringify(once) === JSON.stringify(ascending) &&
          sort === "ascending",
        `sorting: a click orders ${once.length} rows by rule, ascending`);
  await button.click();
  const twice = await rules();
  check(JSON.stringify(twice) === JSON.stringify([...ascending].reverse()),
        "sorting: a second click reverses the order");
}

async function check_screenshot(page)
{
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.resolve(artifacts, "html-report.png");
  await page.screenshot({ path: file, fullPage: true });
  const size = fs.statSync(file).size;
  check(size > 10000, `screenshot: ${file} (${size} bytes)`);
}

function strings_of(value, out = [])
{
  if (typeof value === "string")
    out.push(value);
  else if (value && typeof value === "object")
    for (const [key, item] of Object.entries(value)) {
      out.push(key);
      strings_of(item, out);
    }
  return out;
}

// Nothing from the hostile estate ran, became markup, or was dropped.
async function check_inert(page, label)
{
  const state = await page.evaluate(() => {
    const handlers = [];
    for (const element of document.querySelectorAll("*"))
      for (const attribute of element.attributes)
        if (attribute.name.toLowerCase().startsWith("on"))
          handlers.push(`<${element.localName} ${attribute.name}>`);
    const links = Array.from(document.querySelectorAll("[href], [src]"),
      (e) => e.getAttribute("href") ?? e.getAttribute("src"))
      .filter((uri) => !/^(https?:|#)/.test(uri));
    return {
      pwned: typeof window.__pwned,
      handlers,
      scripts: Array.from(document.scripts, (s) => s.src || "inline"),
      styles: document.querySelectorAll("style, link").length,
      markup: Array.from(document.querySelectorAll(
        "img, svg, iframe, frame, object, embed, marquee, math, base, " +
        "audio, video, form:not(#filters), input:not(#filter-search)"),
        (e) => e.localName),
      links,
      text: document.body.innerText,
    };
  });
  check(state.pwned === "undefined",
        `${label}: window.__pwned is undefined`, state.pwned);
  check(state.handlers.length === 0,
        `${label}: no element has an on* attribute`, state.handlers);
  check(state.scripts.length === 1 && state.scripts[0] === "inline",
        `${label}: the only script is the page's inline one`, state.scripts);
  check(state.styles === 1, `${label}: the only style is the page's own`);
  check(state.markup.length === 0,
        `${label}: no img, svg, iframe or other element from the input`,
        state.markup);
  check(state.links.length === 0,
        `${label}: every link is http(s) or in the page`, state.links);
  const dropped = payloads.filter((p) => !state.text.includes(p));
  check(dropped.length === 0,
        `${label}: all ${payloads.length} payloads show as literal text`,
        dropped);
}

async function check_hostile(browser, r)
{
  const planted = strings_of(JSON.parse(fs.readFileSync(fixture, "utf8")));
  const absent = payloads.filter((p) => !planted.some((s) => s.includes(p)));
  check(absent.length === 0,
        "hostile fixture: holds every payload the test looks for", absent);

  const page = await check_loads(browser, r, [1, 3]);
  await check_inert(page, `${r.name}`);
  await check_scope_filter(page, "group", "groups");
  await page.close();

  // Again with the CSP switched off: the escaping alone must hold, since a
  // page saved or served without its meta tag has no CSP.
  const bare = await open(browser, r.html, { bypass_csp: true });
  check(bare.trouble.length === 0,
        `${r.name} without CSP: loads with no console error, page error, ` +
        "dialog or request", bare.trouble);
  await check_inert(bare.page, `${r.name} without CSP`);
  await bare.page.close();
}

async function main()
{
  const watchdog = setTimeout(() => {
    check(false, `the run finished within ${run_ms / 1000} s`);
    finish();
  }, run_ms);
  watchdog.unref();

  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ["--no-sandbox"],
      defaultViewport: { width: 1280, height: 900 },
      timeout: step_ms,
      protocolTimeout: step_ms,
    });
    const example = report("example");
    const page = await check_loads(browser, example, [1]);
    await check_screenshot(page);
    await check_filters(page, example);
    await check_sorting(page);
    await page.close();

    const studio = report("example-studio");
    await (await check_loads(browser, studio, [1])).close();

    await check_hostile(browser, report("hostile"));
  } catch (error) {
    check(false, "the browser steps ran to the end", String(error.stack));
  } finally {
    await browser?.close().catch(() => {});
  }
  finish();
}

main();
