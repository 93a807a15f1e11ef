// The vidbatch console: one page, plain DOM, short polling of /api/v1 (one request a second
// per open view; nothing to keep alive through proxies). Every text from the server goes in
// through textContent, never as HTML.
'use strict';

const API = '../api/v1';
const SESSION = '../session';
const ENDED = ['COMPLETED', 'FAILED', 'STOPPED', 'ABANDONED'];
const CONTROL = ['batchAdmin', 'batchSubmitter'];

let me = null;
let timer = null;
const openLogs = new Map();
let lastDrawn = null;
// Bumped whenever the view changes: an answer to a request made for an earlier view is dropped.
let generation = 0;

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

class SignedOut extends Error {}

async function call(path, options = {}) {
  const r = await fetch(path, { credentials: 'same-origin', ...options,
    headers: { Accept: 'application/json', ...(options.headers || {}) } });
  if (r.status === 401) throw new SignedOut();
  const type = r.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await r.json() : await r.text();
  if (!r.ok) {
    const err = new Error(body && body.error ? body.error : `${r.status} ${r.statusText}`);
    err.status = r.status;
    err.fields = body && body.errors ? body.errors : [];
    throw err;
  }
  return body;
}

const mayControl = () => me && me.roles.some(r => CONTROL.includes(r));
const ended = status => ENDED.includes(status);

function state(s) {
  return el('span', { class: `state ${s}`, 'data-state': s }, s);
}

// A job that COMPLETED with some inputs failed or rejected shows PARTIAL, in amber: at a glance
// it is not a job all done. Its state stays in the title for those who want the whole story.
function jobState(job) {
  if (job.status === 'COMPLETED' && job.outcome === 'PARTIAL') {
    return el('span', { class: 'state PARTIAL', 'data-state': 'PARTIAL', title: 'COMPLETED, with some inputs failed or rejected' },
      'PARTIAL');
  }
  return state(job.status);
}

const barState = job => (job.status === 'COMPLETED' && job.outcome === 'PARTIAL' ? 'PARTIAL' : job.status);

function bar(percent, status) {
  const p = Math.max(0, Math.min(100, percent || 0));
  return el('div', { class: 'row' },
    el('div', { class: `bar ${status || ''}`, role: 'progressbar', 'aria-valuenow': p, 'aria-valuemin': 0, 'aria-valuemax': 100 },
      el('span', { style: `width:${p}%` })),
    el('span', { class: 'bar-label' }, `${p.toFixed(p === 100 || p === 0 ? 0 : 1)} %`));
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// JSON-B writes dates as ISO instants with a zone id in brackets, which Date does not read.
const when = d => (d ? new Date(String(d).replace(/\[.*\]$/, '')).toLocaleString() : '—');
const fileName = p => (p ? p.split('/').pop() : '');

function show(...nodes) {
  const view = document.getElementById('view');
  view.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined));
}

function poll(fn, ms) {
  clearTimeout(timer);
  timer = setTimeout(fn, ms);
}

// ---------- sign-in ----------

async function whoAmI() {
  try {
    me = await call(SESSION);
  } catch (e) {
    if (!(e instanceof SignedOut)) throw e;
    me = null;
  }
  document.getElementById('nav').hidden = !me;
  document.getElementById('signout').hidden = !me;
  document.getElementById('nav-new').hidden = !mayControl();
  document.getElementById('who').textContent = me ? `${me.user} (${me.roles.join(', ')})` : '';
}

function signIn() {
  clearTimeout(timer);
  generation++;
  const form = document.getElementById('login-form').content.firstElementChild.cloneNode(true);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const error = form.querySelector('#login-error');
    error.textContent = '';
    try {
      const r = await fetch(SESSION, { method: 'POST', credentials: 'same-origin', body: new URLSearchParams(new FormData(form)) });
      if (!r.ok) {
        error.textContent = (await r.json()).error;
        return;
      }
      await whoAmI();
      route();
    } catch (e) {
      error.textContent = e.message;
    }
  });
  show(form);
}

// ---------- job list ----------

async function jobList() {
  const jobs = await call(`${API}/jobs?limit=50`);
  return () => drawList(jobs);
}

function drawList(jobs) {
  const rows = jobs.map(j => el('tr', { class: 'link', 'data-job': j.id, onclick: () => { location.hash = `#/jobs/${j.id}`; } },
    el('td', {}, el('a', { href: `#/jobs/${j.id}` }, `#${j.id}`)),
    el('td', {}, jobState(j)),
    el('td', {}, bar(j.progress.percent, barState(j))),
    el('td', {}, `${j.progress.done} done, ${j.progress.failed} failed of ${j.progress.items}`),
    el('td', {}, ended(j.status) ? '—' : duration(j.progress.etaSeconds)),
    el('td', {}, when(j.created)),
    el('td', { class: 'muted' }, j.exitStatus && j.exitStatus !== j.status ? j.exitStatus : '')));
  show(el('h1', {}, 'Jobs'),
    jobs.length === 0 ? el('p', { class: 'muted' }, 'No jobs yet.') : el('table', { id: 'jobs' },
      el('thead', {}, el('tr', {}, ['Job', 'State', 'Progress', 'Items', 'ETA', 'Submitted', 'Outcome'].map(h => el('th', {}, h)))),
      el('tbody', {}, rows)));
  poll(refresh, jobs.some(j => !ended(j.status)) ? 2000 : 5000);
}

// ---------- one job ----------

async function jobDetail(id) {
  const job = await call(`${API}/jobs/${id}`);
  return () => drawJob(job);
}

function drawJob(job) {
  // An ended job changes no more: drawing it again would only reload its pictures.
  const { now, ...rest } = job;
  const seen = JSON.stringify(rest);
  if (ended(job.status) && seen === lastDrawn) return poll(refresh, 5000);
  lastDrawn = seen;
  const p = job.progress;
  const facts = [
    ['Items', `${p.done} done · ${p.failed} failed · ${p.running} running · ${p.pending - p.running} waiting`],
    ['ETA', ended(job.status) ? '—' : duration(p.etaSeconds)],
    ['Submitted', when(job.created)],
    ...settingFacts(job.settings || {}),
  ];
  show(
    el('h1', {}, `Job #${job.id} `, jobState(job)),
    el('div', { class: 'card' },
      bar(p.percent, barState(job)),
      job.exitStatus && job.exitStatus !== job.status ? el('p', { id: 'exit-status' }, job.exitStatus) : null,
      el('div', { class: 'facts' }, facts.map(([k, v]) => el('div', {}, el('span', {}, k), v))),
      actions(job)),
    el('h2', {}, 'Workers'), lanes(job.items, job.now),
    el('h2', {}, 'Outputs'), outputs(job),
    problems(job),
    el('h2', {}, 'Items'), itemTable(job));
  poll(refresh, ended(job.status) ? 5000 : 1000);
}

// What the job was asked to do, as a user would name it; defaults that say nothing are left out.
function settingFacts(s) {
  return [
    ['Preset', s.preset], ['Operations', s.operations || 'none'], ['Workers', s.workers], ['Launcher', s.launcher],
    ['Output folder', s.outputDir], ['Items per worker', s.groupSize > 1 ? s.groupSize : null],
    ['Segments of', s.segmentSeconds > 0 ? `${s.segmentSeconds} s` : null], ['Dry run', s.dryRun ? 'yes: nothing is encoded' : null],
    ['Planned', s.plannedAt ? when(s.plannedAt) : null],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
}

function actions(job) {
  if (!mayControl()) return null;
  const act = (label, cls, path, confirmText) => el('button', { class: cls, id: `${label.toLowerCase()}-job`, onclick: async ev => {
    if (confirmText && !window.confirm(confirmText)) return;
    ev.target.disabled = true;
    try {
      await call(`${API}/jobs/${job.id}/${path}`, { method: 'POST' });
    } catch (e) {
      if (e instanceof SignedOut) return signIn();
      window.alert(e.message);
    }
    refresh();
  } }, label);
  return el('div', { class: 'actions' },
    ended(job.status) ? null : act('Stop', 'danger', 'stop', `Stop job ${job.id}? Running encodes end; restart picks up what is left.`),
    ['STOPPED', 'FAILED'].includes(job.status) ? act('Restart', 'primary', 'restart') : null);
}

// One lane per partition: its items one after another, each bar placed by when its encode ran.
// Times are the server's (running items) and the workers' (finished ones); `now` is the server's,
// so a browser whose clock is off draws the same picture.
function lanes(items, now) {
  const timed = items.filter(i => i.startedAt);
  if (timed.length === 0) return el('p', { class: 'muted' }, 'No item has started yet.');
  const t0 = Math.min(...timed.map(i => i.startedAt));
  const t1 = Math.max(...timed.map(i => i.endedAt || now), t0 + 1000);
  const byLane = new Map();
  for (const i of timed) {
    if (!byLane.has(i.partition)) byLane.set(i.partition, []);
    byLane.get(i.partition).push(i);
  }
  const rows = [...byLane.entries()].sort((a, b) => a[0] - b[0]).map(([partition, its]) => {
    // Finished items name their worker; running ones only their launcher, until they finish.
    const named = its.filter(i => i.state !== 'RUNNING');
    const workers = [...new Set((named.length ? named : its).map(i => i.worker).filter(Boolean))];
    return el('div', { class: 'lane', 'data-partition': partition },
      el('div', { class: 'lane-label', title: workers.join('\n') }, `partition ${partition}`,
        el('span', { class: 'muted' }, workers.length ? ` · ${workers.length === 1 ? workers[0] : workers.length + ' workers'}` : '')),
      el('div', { class: 'lane-track' }, its.map(i => {
        const left = (100 * (i.startedAt - t0)) / (t1 - t0);
        const width = (100 * ((i.endedAt || now) - i.startedAt)) / (t1 - t0);
        return el('div', { class: i.state, style: `left:${left}%;width:${Math.max(width, 0.3)}%`,
          title: `item ${i.item} (${i.part.toLowerCase()}) on ${i.worker || '?'}: ${i.state}, ${i.fps} fps` }, i.item);
      })));
  });
  return el('div', { class: 'card lanes', id: 'lanes' }, rows,
    el('div', { class: 'axis' }, el('span', {}, new Date(t0).toLocaleTimeString()),
      el('span', {}, duration((t1 - t0) / 1000)), el('span', {}, new Date(t1).toLocaleTimeString())));
}

function outputs(job) {
  const figures = [];
  for (const input of job.inputs) {
    const thumbs = (input.output && input.output.thumbnails) || [];
    thumbs.forEach((t, k) => figures.push(el('figure', {},
      el('img', { src: `${API}/jobs/${job.id}/inputs/${input.input}/thumbnails/${k}`, alt: `thumbnail of ${fileName(input.output.path)}`,
        class: 'thumbnail', loading: 'lazy' }),
      el('figcaption', {}, `${fileName(input.output.path)} · ${input.output.width}×${input.output.height} · ${duration(input.output.seconds)}`))));
    if (thumbs.length === 0 && input.output) {
      figures.push(el('figure', {}, el('figcaption', {}, `${fileName(input.output.path)} · ${input.output.width}×${input.output.height}`)));
    }
  }
  if (figures.length === 0) {
    return el('p', { class: 'muted' }, ended(job.status) ? 'No outputs.' : 'Outputs appear when their input is assembled.');
  }
  return el('div', { class: 'thumbs card', id: 'outputs' }, figures);
}

// Every input that was rejected or failed, and every failed item with the end of ffmpeg's log.
function problems(job) {
  const bad = job.inputs.filter(i => i.reason);
  const failedItems = job.items.filter(i => i.state === 'FAILED');
  if (bad.length === 0 && failedItems.length === 0) return null;
  return [el('h2', {}, 'Problems'), el('div', { class: 'card', id: 'problems' },
    bad.map(i => el('p', {}, state(i.state), ' ', el('b', {}, i.given), ': ', el('span', { class: 'error' }, i.reason))),
    failedItems.map(i => {
      const key = `${job.id}/${i.item}`;
      const log = el('pre', { class: 'log', hidden: !openLogs.has(key) }, openLogs.get(key));
      return el('div', {}, el('p', {}, state('FAILED'), ` item ${i.item} (${i.part.toLowerCase()} of ${fileName(i.source)}): `,
        el('span', { class: 'error' }, i.reason || ''), ' ',
        el('button', { onclick: async () => {
          log.hidden = false;
          try {
            log.textContent = await call(`${API}/jobs/${job.id}/items/${i.item}/log?lines=40`, { headers: { Accept: 'text/plain' } });
          } catch (e) {
            log.textContent = e.message;
          }
          openLogs.set(key, log.textContent); // the next refresh redraws the page: keep it open
        } }, 'ffmpeg log')), log);
    }))];
}

function itemTable(job) {
  return el('table', { id: 'items' },
    el('thead', {}, el('tr', {}, ['Item', 'Input', 'Part', 'State', 'Progress', 'fps', 'Worker'].map(h => el('th', {}, h)))),
    el('tbody', {}, job.items.map(i => el('tr', { 'data-item': i.item },
      el('td', {}, i.item), el('td', { title: i.source }, fileName(i.source)),
      el('td', {}, i.part === 'VIDEO_SEGMENT' ? `segment ${i.segment}` : i.part.toLowerCase()),
      el('td', {}, state(i.state)), el('td', {}, bar(i.percent, i.state === 'DONE' ? 'COMPLETED' : i.state)),
      el('td', {}, i.fps ? i.fps.toFixed(1) : ''), el('td', {}, i.worker || '')))));
}

// ---------- submit ----------

async function newJob() {
  clearTimeout(timer);
  const catalog = await call(`${API}/catalog`);
  return () => drawForm(catalog);
}

function drawForm(catalog) {
  const form = el('form', { class: 'card', id: 'submit' },
    el('label', {}, 'Inputs ', el('span', { class: 'hint' }, 'one file or folder per line, inside the input roots'),
      el('textarea', { name: 'inputs', rows: 4, required: true })),
    el('div', { class: 'grid2' },
      el('label', {}, 'Preset', el('select', { name: 'preset' },
        catalog.presets.map(p => el('option', { value: p.name, title: p.description }, `${p.name} — ${p.description}`)))),
      el('label', {}, 'Workers', el('input', { name: 'workers', type: 'number', min: 1, value: 2 })),
      el('label', {}, 'Output folder ', el('span', { class: 'hint' }, 'inside the output root'), el('input', { name: 'outputDir' })),
      el('label', {}, 'Launcher', el('select', { name: 'launcher' },
        ['local', 'process', 'kubernetes'].map(l => el('option', { value: l }, l))))),
    el('label', {}, 'Operations ', el('span', { class: 'hint' }, catalog.operationsSyntax),
      el('input', { name: 'operations', placeholder: 'thumbnail(at=50%)' })),
    el('button', { class: 'primary', type: 'submit' }, 'Submit'),
    el('p', { class: 'error', id: 'submit-error', role: 'alert' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { inputs: f.get('inputs').split('\n').map(s => s.trim()).filter(Boolean) };
    for (const k of ['preset', 'workers', 'outputDir', 'launcher', 'operations']) {
      if (f.get(k)) body[k] = f.get(k);
    }
    try {
      const job = await call(`${API}/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      location.hash = `#/jobs/${job.id}`;
    } catch (e) {
      if (e instanceof SignedOut) return signIn();
      form.querySelector('#submit-error').textContent =
        [e.message, ...(e.fields || []).map(x => `${x.field}: ${x.message}`)].join('\n');
    }
  });
  show(el('h1', {}, 'New job'), form);
}

// ---------- routing ----------

async function refresh() {
  const g = generation;
  try {
    // Asked first, and of /session alone: a lapsed sign-in must bring our form, not the
    // browser's password dialog, which a 401 from the Basic-protected /api would.
    await call(SESSION);
    if (document.hidden) return poll(refresh, 5000); // a background tab need not follow along
    const m = location.hash.match(/^#\/jobs\/(\d+)/);
    const draw = m ? await jobDetail(m[1]) : location.hash === '#/new' ? await newJob() : await jobList();
    if (g === generation) draw();
  } catch (e) {
    if (g !== generation) return;
    if (e instanceof SignedOut) {
      await whoAmI();
      return signIn();
    }
    lastDrawn = null;
    show(el('p', { class: 'error', role: 'alert' }, e.message));
    poll(refresh, 5000);
  }
}

function route() {
  clearTimeout(timer);
  generation++;
  lastDrawn = null;
  if (!me) return signIn();
  refresh();
}

document.getElementById('signout').addEventListener('click', async () => {
  await fetch(SESSION, { method: 'DELETE', credentials: 'same-origin' });
  await whoAmI();
  signIn();
});
window.addEventListener('hashchange', route);
document.addEventListener('visibilitychange', () => { if (!document.hidden && me) route(); });
whoAmI().then(route, e => show(el('p', { class: 'error' }, e.message)));
