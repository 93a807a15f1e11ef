// The vidbatch console: one page, plain DOM, short polling of /api/v1 (one request a second
// per open view; nothing to keep alive through proxies). Every text from the server goes in
// through textContent, never as HTML.
'use strict';

const API = '../api/v1';
const SESSION = '../session';
const ENDED = ['COMPLETED', 'FAILED', 'STOPPED', 'ABANDONED'];
const CONTROL = ['batchAdmin', 'batchSubmitter'];
// Served by the application from its hls.js webjar (pom.xml): loaded only when a ladder is shown.
const HLS_JS = '../webjars/hls.js/1.4.12/dist/hls.min.js';
const SVG = 'http://www.w3.org/2000/svg';

let me = null;
let timer = null;
const openLogs = new Map();
let lastDrawn = null;
// Bumped whenever the view changes: an answer to a request made for an earlier view is dropped.
let generation = 0;
// Ladder players by "job/input": kept across the redraws of their job's page, which would restart them.
const players = new Map();
let hlsLoading = null;

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

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) e.setAttribute(k, v);
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
const fixed = (x, digits) => (typeof x === 'number' ? x.toFixed(digits) : '—');
const kbits = bits => fixed(bits / 1000, 0);
const megabytes = bytes => `${fixed(bytes / 1e6, bytes < 1e7 ? 2 : 1)} MB`;

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
  dropPlayers();
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
  // A server that signs browsers in through an OpenID Provider says where: offer it beside the form.
  fetch(SESSION, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    .then(r => r.status === 401 ? r.json() : null)
    .then(b => {
      if (b && typeof b.sso === 'string' && b.sso.startsWith('/')) {
        form.querySelector('#sso-link').href = b.sso;
        form.querySelector('#sso').hidden = false;
      }
    })
    .catch(() => {});
}

// ---------- job list ----------

// The list's filters and page live in the address (#/?state=failed&q=show), so a view can be
// bookmarked, shared, and gone back to.
const FILTERS = ['state', 'submitter', 'from', 'to', 'q', 'limit', 'before'];

function listParams() {
  const query = location.hash.startsWith('#/?') ? location.hash.slice(3) : '';
  const params = new URLSearchParams(query);
  for (const k of [...params.keys()]) if (!FILTERS.includes(k)) params.delete(k);
  return params;
}

async function jobList() {
  const params = listParams();
  if (!params.get('limit')) params.set('limit', '50');
  // The days in the address are the user's own, as the list shows times: the API gets the instants
  // their local midnights are (a `to` day includes that whole day).
  const asked = new URLSearchParams(params);
  for (const [k, next] of [['from', 0], ['to', 1]]) {
    const day = asked.get(k);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day || '')) continue;
    const midnight = new Date(`${day}T00:00`);
    midnight.setDate(midnight.getDate() + next);
    asked.set(k, midnight.toISOString());
  }
  const jobs = await call(`${API}/jobs?${asked}`);
  return () => drawList(jobs, params);
}

function filterBar(params) {
  const seesAll = me && (me.roles.includes('batchAdmin') || me.roles.includes('batchMonitor'));
  const input = (name, label, attrs) => el('label', {}, label, el('input', { name, value: params.get(name) || '', ...attrs }));
  const form = el('form', { class: 'card filters', id: 'filters', role: 'search' },
    el('label', {}, 'State', el('select', { name: 'state' },
      [['', 'any'], ['running', 'running'], ['completed', 'completed'], ['partial', 'partial'], ['failed', 'failed'], ['stopped', 'stopped']]
        .map(([v, t]) => el('option', { value: v, selected: (params.get('state') || '') === v }, t)))),
    seesAll ? input('submitter', 'Submitter', { placeholder: 'anyone', autocomplete: 'off' }) : null,
    input('from', 'From', { type: 'date' }),
    input('to', 'To', { type: 'date' }),
    input('q', 'Input name', { type: 'search', placeholder: 'part of a file name', maxlength: 200 }),
    el('label', {}, 'Per page', el('select', { name: 'limit' },
      ['10', '50', '100', '200'].map(n => el('option', { value: n, selected: (params.get('limit') || '50') === n }, n)))),
    el('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v); // a new filter starts at the newest
    location.hash = `#/?${next}`;
  });
  return form;
}

function drawList(jobs, params) {
  const rows = jobs.map(j => el('tr', { class: 'link', 'data-job': j.id, onclick: () => { location.hash = `#/jobs/${j.id}`; } },
    el('td', {}, el('a', { href: `#/jobs/${j.id}` }, `#${j.id}`)),
    el('td', {}, jobState(j)),
    el('td', {}, bar(j.progress.percent, barState(j))),
    el('td', {}, `${j.progress.done} done, ${j.progress.failed} failed of ${j.progress.items}`),
    el('td', {}, ended(j.status) ? '—' : duration(j.progress.etaSeconds)),
    el('td', {}, when(j.created)),
    el('td', { class: 'muted' }, j.exitStatus && j.exitStatus !== j.status ? j.exitStatus : '')));
  const page = (label, id, change) => {
    const next = new URLSearchParams(params);
    change(next);
    return el('a', { class: 'button', id, href: `#/?${next}` }, label);
  };
  const full = jobs.length === Number(params.get('limit'));
  const filtered = FILTERS.some(k => !['limit', 'before'].includes(k) && params.get(k));
  const body = [
    jobs.length === 0 ? el('p', { class: 'muted', id: 'no-jobs' }, filtered || params.get('before') ? 'No jobs match.' : 'No jobs yet.') :
      el('table', { id: 'jobs' },
        el('thead', {}, el('tr', {}, ['Job', 'State', 'Progress', 'Items', 'ETA', 'Submitted', 'Outcome'].map(h => el('th', {}, h)))),
        el('tbody', {}, rows)),
    el('nav', { class: 'actions', 'aria-label': 'pages' },
      params.get('before') ? page('Newest', 'page-newest', p => p.delete('before')) : null,
      full ? page('Older jobs', 'page-older', p => p.set('before', jobs[jobs.length - 1].id)) : null)];
  // Polling redraws the list, not the filters: what a user is typing there stays, and keeps the focus.
  const holder = document.getElementById('list-body');
  if (holder && holder.dataset.params === params.toString()) {
    holder.replaceChildren(...body.filter(Boolean));
  } else {
    show(el('h1', {}, 'Jobs'), filterBar(params), el('div', { id: 'list-body', 'data-params': params.toString() }, body));
  }
  poll(refresh, jobs.some(j => !ended(j.status)) ? 2000 : 5000);
}

// ---------- screen readers ----------

// Progress for screen readers: the live region is told only when the words change (a state, or
// another ten percent), so that it is not read out every second.
let announced = '';
function announce(key, text) {
  const region = document.getElementById('announce');
  if (!region || `${key}:${text}` === announced) return;
  announced = `${key}:${text}`;
  region.textContent = text;
}

function outcomeWord(job) {
  return job.outcome === 'PARTIAL' ? 'partly done' : job.status.toLowerCase();
}

// ---------- one job ----------

async function jobDetail(id) {
  const [job, deliveries] = await Promise.all([call(`${API}/jobs/${id}`), call(`${API}/jobs/${id}/deliveries`)]);
  job.deliveries = deliveries;
  return () => drawJob(job);
}

function drawJob(job) {
  // An ended job changes no more: drawing it again would only reload its pictures.
  const { now, ...rest } = job;
  const seen = JSON.stringify(rest);
  if (ended(job.status) && seen === lastDrawn) return poll(refresh, 5000);
  lastDrawn = seen;
  const p = job.progress;
  announce(job.id, ended(job.status) ? `Job ${job.id} ${outcomeWord(job)}: ${job.exitStatus || job.status}` :
    `Job ${job.id} ${job.status.toLowerCase()}, ${Math.floor(p.percent / 10) * 10} percent, ${p.done} of ${p.items} items done`);
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
    el('h2', {}, 'Outputs'), outputs(job), ladders(job),
    problems(job),
    notifications(job),
    el('h2', {}, 'Items'), itemTable(job));
  poll(refresh, ended(job.status) ? 5000 : 1000);
}

// What the job was asked to do, as a user would name it; defaults that say nothing are left out.
function settingFacts(s) {
  return [
    ['Preset', s.ladder ? null : s.preset], ['Ladder', s.ladder], ['Min. quality', s.minQuality ? `PSNR ${s.minQuality} dB` : null],
    ['Operations', s.ladder ? null : s.operations || 'none'], ['Workers', s.workers], ['Launcher', s.launcher],
    ['Output folder', s.outputDir], ['Items per worker', s.groupSize > 1 ? s.groupSize : null],
    ['Segments of', s.segmentSeconds > 0 ? `${s.segmentSeconds} s` : null], ['Notify', s.webhooks], ['Dry run', s.dryRun ? 'yes: nothing is encoded' : null],
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
    ['STOPPED', 'FAILED'].includes(job.status) ? act('Restart', 'primary', 'restart') : null,
    // A new job from this one's settings and inputs, in the form, to change before submitting.
    el('a', { class: 'button', id: 'run-again', href: `#/new?from=${job.id}` }, 'Run again…'));
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

// A single file's quality against its source when measured (a ladder's is per rendition), or
// why it was asked for and not measured.
function measured(output) {
  const q = output.quality;
  if (q) return ` · PSNR ${fixed(q.psnr, 2)} dB (worst frame ${fixed(q.psnrMin, 2)}) · SSIM ${fixed(q.ssim, 4)}`;
  return output.unmeasured ? ` · ${output.unmeasured}` : '';
}

function outputs(job) {
  const figures = [];
  for (const input of job.inputs) {
    const thumbs = (input.output && input.output.thumbnails) || [];
    // The file itself, under its first picture (a ladder plays in the page instead).
    const download = input.output && /\.(mp4|webm)$/.test(input.output.path)
      ? el('a', { class: 'download', href: `${API}/jobs/${job.id}/inputs/${input.input}/output`, download: '' }, 'Download')
      : null;
    thumbs.forEach((t, k) => figures.push(el('figure', {},
      el('img', { src: `${API}/jobs/${job.id}/inputs/${input.input}/thumbnails/${k}`, alt: `thumbnail of ${fileName(input.output.path)}`,
        class: 'thumbnail', loading: 'lazy' }),
      el('figcaption', {}, `${fileName(input.output.path)} · ${input.output.width}×${input.output.height} · ${duration(input.output.seconds)}${measured(input.output)}`,
        k === 0 && download ? [' · ', download] : null))));
    if (thumbs.length === 0 && input.output) {
      figures.push(el('figure', {}, el('figcaption', {}, `${fileName(input.output.path)} · ${input.output.width}×${input.output.height}${measured(input.output)}`,
        download ? [' · ', download] : null)));
    }
    if (input.output && input.output.worstImage) {
      figures.push(el('figure', { class: 'worst' },
        el('img', { src: `${API}/jobs/${job.id}/inputs/${input.input}/worst`, class: 'thumbnail', loading: 'lazy',
          alt: `worst frame of ${fileName(input.output.path)}` }),
        el('figcaption', {}, `${fileName(input.output.path)} · worst frame ${input.output.worstFrame} · ${fixed(input.output.quality.psnrMin, 2)} dB`)));
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

// Who was told of the job's end (its notify webhooks), and how that went.
function notifications(job) {
  if (!job.deliveries || job.deliveries.length === 0) return null;
  return [el('h2', {}, 'Notifications'), el('table', { id: 'deliveries' },
    el('thead', {}, el('tr', {}, ['Webhook', 'Event', 'State', 'Attempts', 'Last', 'Next', 'Error'].map(h => el('th', {}, h)))),
    el('tbody', {}, job.deliveries.map(d => el('tr', {},
      el('td', {}, d.webhook),
      el('td', {}, d.type.replace(/^io\.vidbatch\./, '')),
      el('td', {}, state(d.state)),
      el('td', {}, String(d.attempts)),
      el('td', {}, d.lastAttempt ? when(d.lastAttempt) : '—'),
      el('td', {}, d.nextAttempt ? when(d.nextAttempt) : '—'),
      el('td', { class: 'error' }, d.lastError || '')))))];
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

// ---------- ladders ----------

// Each ladder input: a player, a chart of bitrate against quality, and every rendition's figures.
function ladders(job) {
  return job.inputs.filter(i => i.ladder && i.ladder.dir && i.ladder.renditions && i.ladder.renditions.length)
    .map(i => el('section', { class: 'card ladder', 'data-input': i.input },
      el('h3', {}, `${fileName(i.ladder.dir)} `, el('span', { class: 'muted' },
        `${i.ladder.ladder} · ${i.ladder.renditions.length} rungs · ${i.ladder.segments} segments · from ${i.given}`)),
      el('div', { class: 'ladder-grid' }, ladderPlayer(job, i), ladderChart(i.ladder)),
      renditionTable(i.ladder),
      worstFrames(job, i),
      ladderNotes(i.ladder)));
}

// Each rendition's worst frame (lowest PSNR): what a person should look at before publishing.
function worstFrames(job, input) {
  const stills = input.ladder.renditions.filter(r => r.worstImage);
  if (!stills.length) return el('span', {});
  return el('div', { class: 'worst-frames' }, stills.map(r => el('figure', {},
    el('img', { src: `${API}/jobs/${job.id}/inputs/${input.input}/ladder/${r.worstImage}`, loading: 'lazy',
      alt: `${r.id}: worst frame, number ${r.worstFrame}` }),
    el('figcaption', { class: 'muted small' },
      `${r.id} · frame ${r.worstFrame} · ${fixed(r.quality && r.quality.psnrMin, 2)} dB`))));
}

function renditionTable(ladder) {
  const heads = ['Rung', 'Picture', 'Codecs'];
  const figures = ['Average kbit/s', 'Peak kbit/s', 'Size', 'PSNR dB', 'PSNR min dB', 'PSNR P1 dB', 'SSIM'];
  return el('table', { class: 'renditions' },
    el('thead', {}, el('tr', {}, heads.map(h => el('th', {}, h)), figures.map(h => el('th', { class: 'num' }, h)))),
    el('tbody', {}, ladder.renditions.map(r => {
      const q = r.quality || {};
      return el('tr', { 'data-rung': r.id },
        el('td', { title: r.rung }, r.id), el('td', {}, `${r.width}×${r.height}`), el('td', {}, r.codecs),
        el('td', { class: 'num' }, kbits(r.averageBits)), el('td', { class: 'num' }, kbits(r.peakBits)),
        el('td', { class: 'num' }, megabytes(r.bytes)),
        el('td', { class: 'num' }, fixed(q.psnr, 2)), el('td', { class: 'num' }, fixed(q.psnrMin, 2)),
        el('td', { class: 'num' }, fixed(q.psnrP1, 2)), el('td', { class: 'num' }, fixed(q.ssim, 4)));
    })));
}

function ladderNotes(ladder) {
  const skipped = ladder.skipped || [];
  return el('p', { class: 'muted small' },
    skipped.length ? `Not made: ${skipped.join('; ')}. ` : null,
    ladder.vmaf ? `VMAF ${ladder.vmaf}.` : null,
    ' PSNR and SSIM against the source, scaled back to its size; min is the worst frame, P1 the 1st percentile.');
}

// Ticks at 1, 2 or 5 times a power of ten, about `count` of them, spanning lo..hi.
function niceTicks(lo, hi, count = 4) {
  const raw = Math.max(hi - lo, 1e-9) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw);
  const ticks = [];
  for (let t = Math.floor(lo / step) * step; t < hi + step; t += step) {
    ticks.push(Number(t.toFixed(9)));
    if (t >= hi) break;
  }
  return ticks;
}

// Average bitrate (x) against PSNR (y): one labelled point per rung, joined in order of bitrate.
function ladderChart(ladder) {
  const W = 460, H = 280, L = 52, R = 16, T = 14, B = 44;
  const points = ladder.renditions.filter(r => r.quality).map(r => ({ r, x: r.averageBits / 1000, y: r.quality.psnr }));
  if (points.length === 0) return el('p', { class: 'muted' }, 'No quality figures to chart.');
  const xt = niceTicks(0, Math.max(...points.map(p => p.x)) * 1.08);
  const yt = niceTicks(Math.min(...points.map(p => p.y)) - 0.5, Math.max(...points.map(p => p.y)) + 0.5);
  const sx = x => L + ((x - xt[0]) / (xt.at(-1) - xt[0])) * (W - L - R);
  const sy = y => H - B - ((y - yt[0]) / (yt.at(-1) - yt[0])) * (H - T - B);
  const label = `Average bitrate against PSNR of ${fileName(ladder.dir)}: `
    + points.map(p => `${p.r.id} ${p.x.toFixed(0)} kbit/s, ${p.y.toFixed(2)} dB`).join('; ');
  const line = [...points].sort((a, b) => a.x - b.x).map(p => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
  return svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label },
    svg('title', {}, label),
    xt.map(t => svg('g', { class: 'tick' },
      svg('line', { x1: sx(t), x2: sx(t), y1: T, y2: H - B }),
      svg('text', { x: sx(t), y: H - B + 16, 'text-anchor': 'middle' }, t))),
    yt.map(t => svg('g', { class: 'tick' },
      svg('line', { x1: L, x2: W - R, y1: sy(t), y2: sy(t) }),
      svg('text', { x: L - 6, y: sy(t) + 4, 'text-anchor': 'end' }, t))),
    svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }),
    svg('line', { class: 'axis', x1: L, x2: L, y1: T, y2: H - B }),
    svg('text', { class: 'axis-label', x: (L + W - R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'average bitrate (kbit/s)'),
    svg('text', { class: 'axis-label', transform: `translate(14 ${(T + H - B) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, 'PSNR (dB)'),
    svg('polyline', { class: 'curve', points: line }),
    points.map(p => svg('g', { class: 'rung' },
      svg('circle', { class: 'point', 'data-rung': p.r.id, cx: sx(p.x), cy: sy(p.y), r: 5 },
        svg('title', {}, `${p.r.id}: ${p.x.toFixed(0)} kbit/s, PSNR ${p.y.toFixed(2)} dB`)),
      svg('text', { x: sx(p.x), y: sy(p.y) - 10, 'text-anchor': sx(p.x) > W * 0.75 ? 'end' : 'middle' }, p.r.id))));
}

// The input's ladder played from its master.m3u8 through hls.js, with a choice of rung.
function ladderPlayer(job, input) {
  const key = `${job.id}/${input.input}`;
  if (!players.has(key)) {
    players.set(key, newPlayer(`${API}/jobs/${job.id}/inputs/${input.input}/ladder/master.m3u8`, input.ladder.renditions));
  }
  return players.get(key).box;
}

function newPlayer(src, renditions) {
  const video = el('video', { controls: true, muted: true, playsinline: true, class: 'ladder-video' });
  video.muted = true; // the attribute only sets the default
  const select = el('select', { class: 'rung-select', 'aria-label': 'rung to play', disabled: true },
    el('option', { value: 'auto' }, 'auto'),
    renditions.map(r => el('option', { value: r.id }, `${r.id} (${r.width}×${r.height})`)));
  const status = el('span', { class: 'muted player-status', 'aria-live': 'polite' }, 'loading the player…');
  const player = { hls: null,
    box: el('figure', { class: 'ladder-player' }, video, el('figcaption', { class: 'row' }, el('label', {}, 'Rung ', select), status)) };
  loadHls().then(Hls => attach(player, Hls, { video, select, status, src, renditions }),
    e => { status.textContent = e.message; });
  return player;
}

// hls.js's one script tag, added the first time a ladder is shown.
function loadHls() {
  if (!hlsLoading) {
    hlsLoading = new Promise((resolve, reject) => document.head.append(el('script', { src: HLS_JS,
      onload: () => resolve(window.Hls),
      onerror: () => { hlsLoading = null; reject(new Error('the player (hls.js) could not be loaded')); } })));
  }
  return hlsLoading;
}

function attach(player, Hls, { video, select, status, src, renditions }) {
  if (player.dropped) return; // its page was left while hls.js loaded
  if (!Hls.isSupported()) {
    // Safari plays HLS itself, and picks the rung itself.
    if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = src;
    status.textContent = video.src ? 'the browser chooses the rung' : 'this browser cannot play HLS';
    return;
  }
  // Segments load once the video plays: a page of ladders fetches only their playlists.
  const hls = new Hls({ autoStartLoad: false });
  player.hls = hls;
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    select.disabled = false;
    status.textContent = `${hls.levels.length} rungs`;
  });
  hls.on(Hls.Events.LEVEL_SWITCHED, (_, d) => {
    const l = hls.levels[d.level];
    status.textContent = `playing ${l.width}×${l.height}${hls.autoLevelEnabled ? ' (auto)' : ''}`;
  });
  hls.on(Hls.Events.ERROR, (_, d) => {
    if (d.fatal) status.textContent = `player error: ${d.details}`;
  });
  video.addEventListener('play', () => hls.startLoad(), { once: true });
  // hls.js orders its levels by bitrate: a rung is found by its picture size.
  select.addEventListener('change', () => {
    const r = renditions.find(x => x.id === select.value);
    hls.currentLevel = r ? hls.levels.findIndex(l => l.width === r.width && l.height === r.height) : -1;
  });
  hls.loadSource(src);
  hls.attachMedia(video);
}

// Ends the players of other views (all of them without `keep`).
function dropPlayers(keep = () => false) {
  for (const [key, p] of players) {
    if (keep(key)) continue;
    p.dropped = true;
    if (p.hls) p.hls.destroy();
    players.delete(key);
  }
}

// ---------- submit ----------

async function newJob(from) {
  clearTimeout(timer);
  const [catalog, webhooks, job] = await Promise.all([
    call(`${API}/catalog`), call(`${API}/webhooks`), from ? call(`${API}/jobs/${from}`) : null]);
  return () => drawForm(catalog, webhooks, job);
}

// Every parameter of POST /jobs (docs/api.md, Job parameters); from `job`, its settings and inputs.
function drawForm(catalog, webhooks, job) {
  const s = (job && job.settings) || {};
  const given = job ? [...new Set(job.inputs.map(i => i.given))] : [];
  const field = (label, hint, input) => el('label', {}, label, hint ? [' ', el('span', { class: 'hint' }, hint)] : null, input);
  const check = (name, label, checked) => el('label', { class: 'check' },
    el('input', { name, type: 'checkbox', checked: !!checked }), ' ', label);
  const select = (name, values, chosen) => el('select', { name },
    values.map(([v, text]) => el('option', { value: v, selected: v === chosen }, text)));
  const form = el('form', { class: 'card', id: 'submit' },
    field('Inputs', 'one file, folder or glob per line, inside the input roots',
      el('textarea', { name: 'inputs', rows: 4, required: true }, given.join('\n'))),
    el('div', { class: 'grid2' },
      field('Preset', null, select('preset', catalog.presets.map(p => [p.name, `${p.name} — ${p.description}`]), s.preset)),
      field('Ladder', 'instead of a preset: HLS and DASH renditions',
        el('input', { name: 'ladder', value: s.ladder || '', placeholder: 'h264-ladder' })),
      field('Workers', 'items encoded at once', el('input', { name: 'workers', type: 'number', min: 1, value: s.workers || 2 })),
      field('Launcher', null, select('launcher', ['local', 'process', 'kubernetes'].map(l => [l, l]), s.launcher || 'local')),
      field('Segments of', 'seconds; 0 encodes each file whole',
        el('input', { name: 'segmentSeconds', type: 'number', min: 0, max: 3600, step: 'any', value: s.segmentSeconds || 0 })),
      field('Items per worker', '1 to 20, run in a row by one worker',
        el('input', { name: 'groupSize', type: 'number', min: 1, max: 20, value: s.groupSize || 1 })),
      field('Output folder', 'inside the output root', el('input', { name: 'outputDir', value: s.outputDir || '' })),
      field('Audio', 'all, first, or languages: eng,fra', el('input', { name: 'audio', value: s.audio || 'all' })),
      field('Minimum quality', 'PSNR in dB, 20 to 60; empty for none',
        el('input', { name: 'minQuality', type: 'number', min: 20, max: 60, step: 'any', value: s.minQuality || '' })),
      field('Notify', webhooks.length ? `webhooks: ${webhooks.map(w => w.name).join(', ')}` : 'no webhooks registered',
        el('input', { name: 'notify', value: s.webhooks || '', placeholder: webhooks.length ? webhooks[0].name : '' }))),
    field('Operations', catalog.operationsSyntax,
      el('input', { name: 'operations', value: s.operations || '', placeholder: 'thumbnail(at=50%)' })),
    el('div', { class: 'row' },
      check('quality', 'Measure quality (PSNR, SSIM)', s.quality),
      check('dryRun', 'Dry run: plan and check, encode nothing', s.dryRun)),
    el('button', { class: 'primary', type: 'submit' }, 'Submit'),
    el('p', { class: 'error', id: 'submit-error', role: 'alert' }));
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    const body = { inputs: f.get('inputs').split('\n').map(v => v.trim()).filter(Boolean) };
    for (const k of ['preset', 'ladder', 'workers', 'launcher', 'segmentSeconds', 'groupSize', 'outputDir', 'audio',
      'minQuality', 'notify', 'operations']) {
      if (f.get(k)) body[k] = f.get(k);
    }
    if (body.ladder) delete body.preset; // one or the other
    for (const k of ['quality', 'dryRun']) body[k] = f.get(k) === 'on';
    try {
      const created = await call(`${API}/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      location.hash = `#/jobs/${created.id}`;
    } catch (e) {
      if (e instanceof SignedOut) return signIn();
      form.querySelector('#submit-error').textContent =
        [e.message, ...(e.fields || []).map(x => `${x.field}: ${x.message}`)].join('\n');
    }
  });
  show(el('h1', {}, job ? `New job from #${job.id}` : 'New job'), form);
}

// ---------- schedules ----------

async function scheduleList() {
  const schedules = await call(`${API}/schedules`);
  return () => drawSchedules(schedules);
}

function drawSchedules(schedules) {
  show(el('h1', {}, 'Schedules'),
    schedules.length === 0 ? el('p', { class: 'muted' }, 'No schedules. An administrator saves them: PUT /api/v1/schedules/{name}.') :
      el('table', { id: 'schedules' },
        el('thead', {}, el('tr', {}, ['Schedule', 'When', 'Enabled', 'Next', 'Watch'].map(h => el('th', {}, h)))),
        el('tbody', {}, schedules.map(sc => el('tr', {},
          el('td', {}, el('a', { href: `#/schedules/${encodeURIComponent(sc.name)}` }, sc.name)),
          el('td', {}, `${sc.cron} (${sc.zone})`),
          el('td', {}, sc.enabled ? 'yes' : 'no'),
          el('td', {}, sc.enabled && sc.nextFire ? when(sc.nextFire) : '—'),
          el('td', {}, sc.watch ? 'new files only' : '—'))))));
  poll(refresh, 10000);
}

async function scheduleDetail(name) {
  const sc = await call(`${API}/schedules/${encodeURIComponent(name)}`);
  return () => drawSchedule(sc);
}

function drawSchedule(sc) {
  const admin = me && me.roles.includes('batchAdmin');
  const status = el('p', { class: 'error', id: 'schedule-error', role: 'alert' });
  const act = (label, id, run) => el('button', { id, onclick: async ev => {
    ev.target.disabled = true;
    try {
      await run();
      status.textContent = '';
    } catch (e) {
      if (e instanceof SignedOut) return signIn();
      status.textContent = e.message;
    }
    refresh();
  } }, label);
  const runNow = act('Run now', 'run-now', () => call(`${API}/schedules/${encodeURIComponent(sc.name)}/runs`, { method: 'POST' }));
  // Enabling or disabling saves the schedule as it is, with the other flag.
  const toggle = act(sc.enabled ? 'Disable' : 'Enable', 'toggle-schedule', () =>
    call(`${API}/schedules/${encodeURIComponent(sc.name)}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ cron: sc.cron, zone: sc.zone, job: sc.job, watch: sc.watch, enabled: !sc.enabled, graceSeconds: sc.graceSeconds }) }));
  const facts = [['When', `${sc.cron} (${sc.zone})`], ['Enabled', sc.enabled ? 'yes' : 'no'],
    ['Next', sc.enabled && sc.nextFire ? when(sc.nextFire) : '—'], ['Watch', sc.watch ? 'new files only' : 'no'],
    ['Grace', `${sc.graceSeconds} s`], ['Job', JSON.stringify(sc.job)]];
  show(el('h1', {}, `Schedule ${sc.name}`),
    el('div', { class: 'card' },
      el('div', { class: 'facts' }, facts.map(([k, v]) => el('div', {}, el('span', {}, k), v))),
      el('div', { class: 'actions' }, mayControl() ? runNow : null, admin ? toggle : null), status),
    el('h2', {}, 'Runs'),
    (sc.runs || []).length === 0 ? el('p', { class: 'muted' }, 'No runs yet.') : el('table', { id: 'runs' },
      el('thead', {}, el('tr', {}, ['Fired', 'Outcome', 'Job', 'Message'].map(h => el('th', {}, h)))),
      el('tbody', {}, sc.runs.map(r => el('tr', {},
        el('td', {}, when(r.firedAt)), el('td', {}, state(r.outcome)),
        el('td', {}, r.jobInstance ? el('a', { href: `#/jobs/${r.jobInstance}` }, `#${r.jobInstance}`) : '—'),
        el('td', { class: 'muted' }, r.message || ''))))));
  poll(refresh, 5000);
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
    const again = location.hash.match(/^#\/new\?from=(\d+)$/);
    const sched = location.hash.match(/^#\/schedules\/(.+)$/);
    const draw = m ? await jobDetail(m[1])
      : location.hash === '#/new' || again ? await newJob(again && again[1])
      : location.hash === '#/schedules' ? await scheduleList()
      : sched ? await scheduleDetail(decodeURIComponent(sched[1]))
      : await jobList();
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
  const m = location.hash.match(/^#\/jobs\/(\d+)/);
  dropPlayers(key => m !== null && key.startsWith(`${m[1]}/`));
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
