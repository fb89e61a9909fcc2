// Lanthorn dashboard: each page fetches its JSON from /api/ and builds the DOM with textContent
// only (never innerHTML), so names and commands from the database cannot inject markup.
'use strict';

const OUTCOME_COLOURS = {
  established: '#2e7d32', refused: '#c62828', timed_out: '#ef6c00',
  unreachable: '#6a1b9a', other: '#546e7a', pending: '#9e9e9e'
};

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function periodParams() {
  const url = new URLSearchParams(location.search);
  const params = new URLSearchParams();
  for (const key of ['period', 'from', 'to']) {
    if (url.get(key)) params.set(key, url.get(key));
  }
  return params;
}

function withPeriod(path, extra) {
  const params = periodParams();
  for (const [key, value] of Object.entries(extra || {})) {
    if (value !== '' && value !== null && value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text ? path + '?' + text : path;
}

async function api(path, extra) {
  const response = await fetch(withPeriod('/api/' + path, extra));
  const body = await response.text();
  if (!response.ok) throw new Error(body.trim() || response.statusText);
  return JSON.parse(body);
}

function showError(error) {
  const p = document.getElementById('error');
  p.textContent = error.message;
  p.hidden = false;
}

function time(ms) {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function containerLink(name) {
  if (!name) return el('span', {class: 'muted'}, 'host');
  return el('a', {href: withPeriod('/containers/' + encodeURIComponent(name))}, name);
}

function destination(row) {
  const address = row.address.includes(':') ? '[' + row.address + ']' : row.address;
  const text = address + ':' + row.port;
  return row.domain ? el('span', {title: text}, row.domain + ':' + row.port) : text;
}

function share(failed, count) {
  return count ? Math.round(100 * failed / count) + '%' : '';
}

function table(id, headings, rows, cells, empty) {
  const node = document.getElementById(id);
  node.replaceChildren(el('thead', null, el('tr', null, ...headings.map(h => el('th', null, h)))));
  const body = el('tbody');
  if (rows.length === 0) {
    body.append(el('tr', null, el('td', {colspan: headings.length, class: 'muted'}, empty || 'none')));
  }
  for (const row of rows) body.append(el('tr', null, ...cells(row).map(c => el('td', null, c))));
  node.append(body);
}

// A fleet's file (several hosts, data.manyHosts): the host column first, else the table as is.
function hostTable(id, many, key, headings, rows, cells, empty) {
  if (!many) return table(id, headings, rows, cells, empty);
  return table(id, [key === 'hosts' ? 'Hosts' : 'Host', ...headings], rows,
    r => [r[key] || '-', ...cells(r)], empty);
}

// The page's ?host= narrows the API's answers to one host of a fleet's file.
function hostParam() {
  return new URLSearchParams(location.search).get('host');
}

function outcomeBadge(outcome) {
  return el('span', {class: 'badge ' + outcome}, outcome);
}

function setUpPeriodPicker() {
  const form = document.getElementById('period');
  const url = new URLSearchParams(location.search);
  form.period.value = url.get('period') || '1h';
  if (url.get('from')) form.from.value = url.get('from').replace(/Z$/, '');
  if (url.get('to')) form.to.value = url.get('to').replace(/Z$/, '');
  const toggle = () => form.querySelector('.custom').classList.toggle('shown', form.period.value === 'custom');
  toggle();
  form.period.addEventListener('change', toggle);
  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    params.set('period', form.period.value);
    params.delete('from');
    params.delete('to');
    if (form.period.value === 'custom') {
      const asInstant = value => (value.length === 16 ? value + ':00' : value) + 'Z';
      if (form.from.value) params.set('from', asInstant(form.from.value));
      if (form.to.value) params.set('to', asInstant(form.to.value));
    }
    location.search = params.toString();
  });
  for (const link of document.querySelectorAll('header nav a')) {
    link.href = withPeriod(link.getAttribute('href'));
    if (link.dataset.nav === document.body.dataset.page) link.classList.add('current');
  }
}

async function overview() {
  const data = await api('overview', {host: hostParam()});
  const totals = {};
  for (const row of data.activity) totals[row.outcome] = (totals[row.outcome] || 0) + row.count;
  const all = Object.values(totals).reduce((a, b) => a + b, 0);
  const failed = all - (totals.established || 0) - (totals.pending || 0);
  document.getElementById('totals').replaceChildren(
    el('div', {class: 'total'}, el('strong', null, all), ' attempts'),
    el('div', {class: 'total'}, el('strong', null, failed), ' failed'),
    el('div', {class: 'total'}, el('strong', null, data.newDestinations.length), ' new destinations'),
    el('div', {class: 'total'}, el('strong', null, data.threats.hits.length), ' threat hits'));

  const bucketMs = data.period.bucketMinutes * 60000;
  const buckets = [...new Set(data.activity.map(r => r.bucket_ms))].sort((a, b) => a - b);
  const outcomes = [...new Set(data.activity.map(r => r.outcome))];
  const perMinute = data.period.bucketMinutes;
  new Chart(document.getElementById('activity'), {
    type: 'bar',
    data: {
      labels: buckets.map(b => time(b).slice(5, 16)),
      datasets: outcomes.map(outcome => ({
        label: outcome,
        backgroundColor: OUTCOME_COLOURS[outcome] || '#888',
        data: buckets.map(b => {
          const row = data.activity.find(r => r.bucket_ms === b && r.outcome === outcome);
          return row ? row.count / perMinute : 0;
        })
      }))
    },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: {x: {stacked: true}, y: {stacked: true, title: {display: true, text: 'per minute (' + bucketMs / 60000 + ' min buckets)'}}}
    }
  });

  hostTable('top', data.manyHosts, 'hosts', ['Destination', 'Attempts', 'Failed'], data.topDestinations,
    r => [destination(r), r.count, share(r.failed, r.count)], 'no connections in this period');
  hostTable('failing', data.manyHosts, 'hosts', ['Destination', 'Failures', 'Outcomes', 'Containers'], data.failingDestinations,
    r => [destination(r), r.failed, r.outcomes, r.containers], 'no failures in this period');
  table('new', ['Container', 'Destination', 'First seen', 'Attempts'], data.newDestinations,
    r => [containerLink(r.container), destination(r), time(r.first_seen_ms), r.count], 'nothing new');
  table('threats', ['Container', 'Destination', 'Source', 'Hits'], data.threats.hits,
    r => [containerLink(r.container), destination(r), r.source || '', r.count],
    data.threats.recorded ? 'no threat hits' : 'threats are not recorded (no threat plugin)');
  table('health', ['Hour', 'Received', 'Written', 'Lost at source', 'Dropped', 'Sink failed'], data.health,
    r => [time(r.hour_ms).slice(0, 14) + '00Z', r.received, r.written, r.lost_at_source, r.dropped, r.sink_failed],
    'no health rows: the agent was not running');
}

async function containers() {
  const data = await api('containers');
  hostTable('containers', data.manyHosts, 'hosts',
    ['Container', 'State', 'Image', 'Compose project', 'Service', 'Attempts', 'Failed', 'Destinations', 'Last seen'],
    data.containers,
    r => [containerLink(r.name), r.active ? 'active' : 'quiet or gone', r.image || '', r.compose_project || '',
      r.compose_service || '', r.connections, r.failed ? r.failed + ' (' + share(r.failed, r.connections) + ')' : 0,
      r.destinations, time(r.last_seen_ms)],
    'no containers seen yet');
}

async function container() {
  const name = decodeURIComponent(location.pathname.substring('/containers/'.length));
  document.getElementById('name').textContent = name;
  document.title = name + ' · Lanthorn';
  const form = document.getElementById('filter');
  const url = new URLSearchParams(location.search);
  form.outcome.value = url.get('outcome') || '';
  form.destination.value = url.get('destination') || '';
  form.addEventListener('submit', event => {
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    for (const key of ['outcome', 'destination']) {
      if (form[key].value) params.set(key, form[key].value); else params.delete(key);
    }
    location.search = params.toString();
  });
  const data = await api('containers/' + encodeURIComponent(name),
    {outcome: url.get('outcome'), destination: url.get('destination'), host: hostParam()});
  const facts = data.facts[0];
  const dl = document.getElementById('facts');
  for (const [label, value] of [['Image', facts.image], ['Compose project', facts.compose_project],
    ['Service', facts.compose_service], ['Id', facts.container_id ? facts.container_id.slice(0, 12) : ''],
    ['First seen', time(facts.first_seen_ms)], ['Last seen', time(facts.last_seen_ms)]]) {
    if (value) dl.append(el('dt', null, label), el('dd', null, value));
  }
  drawGraph(name, data.destinations);
  hostTable('attempts', data.manyHosts, 'host', ['Time', 'Process', 'Destination', 'Outcome', 'Errno', 'Handshake'], data.attempts,
    r => [time(r.time_ms), r.process + ' (' + r.pid + ')', destination(r), outcomeBadge(r.outcome),
      r.errno || '', r.handshake_us === null ? '' : r.handshake_us + ' µs'],
    'no attempts in this period');
}

function drawGraph(name, destinations) {
  const max = Math.max(1, ...destinations.map(d => d.count));
  const elements = [{data: {id: 'container', label: name, kind: 'container'}}];
  for (const d of destinations) {
    const id = 'd:' + d.address + ':' + d.port;
    const failure = d.count ? d.failed / d.count : 0;
    const label = (d.address.includes(':') ? '[' + d.address + ']' : d.address) + ':' + d.port;
    elements.push({data: {id: id, label: label + '\n' + d.count + (d.failed ? ', ' + Math.round(100 * failure) + '% failed' : ''), kind: 'destination'}});
    elements.push({data: {id: 'e:' + id, source: 'container', target: id,
      width: 1 + 7 * d.count / max, colour: failure > 0.5 ? '#c62828' : failure > 0 ? '#ef6c00' : '#2e7d32'}});
  }
  window.lanthornGraph = cytoscape({
    container: document.getElementById('graph'),
    elements: elements,
    userZoomingEnabled: false,
    style: [
      {selector: 'node', style: {'label': 'data(label)', 'text-wrap': 'wrap', 'font-size': 11,
        'text-valign': 'bottom', 'text-margin-y': 4,
        'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 2, 'background-color': '#455a64', 'width': 18, 'height': 18}},
      {selector: 'node[kind = "container"]', style: {'background-color': '#1565c0', 'width': 30, 'height': 30, 'font-weight': 'bold'}},
      {selector: 'edge', style: {'width': 'data(width)', 'line-color': 'data(colour)', 'curve-style': 'straight',
        'target-arrow-shape': 'triangle', 'target-arrow-color': 'data(colour)'}}
    ],
    layout: {name: 'concentric', concentric: n => n.data('kind') === 'container' ? 2 : 1, levelWidth: () => 1, minNodeSpacing: 40}
  });
}

async function search() {
  const form = document.getElementById('search');
  const url = new URLSearchParams(location.search);
  const fields = ['host', 'container', 'process', 'destination', 'port', 'outcome', 'direction', 'protocol'];
  for (const key of fields) form[key].value = url.get(key) || '';
  const page = parseInt(url.get('page') || '0', 10);
  const go = newPage => {
    const params = periodParams();
    for (const key of fields) if (form[key].value) params.set(key, form[key].value);
    if (newPage) params.set('page', newPage);
    location.search = params.toString();
  };
  form.addEventListener('submit', event => { event.preventDefault(); go(0); });
  const extra = {page: page};
  for (const key of fields) extra[key] = url.get(key);
  const data = await api('connections', extra);
  hostTable('results', data.manyHosts, 'host', ['Time', 'Container', 'Process', 'Destination', 'Outcome', 'Errno'], data.rows,
    r => [time(r.time_ms), containerLink(r.container), r.process + ' (' + r.pid + ')', destination(r),
      outcomeBadge(r.outcome), r.errno || ''], 'no connections match');
  document.getElementById('pageno').textContent = 'page ' + (page + 1);
  const previous = document.getElementById('previous');
  const next = document.getElementById('next');
  previous.disabled = page === 0;
  next.disabled = !data.more;
  previous.addEventListener('click', () => go(page - 1));
  next.addEventListener('click', () => go(page + 1));
}

document.addEventListener('DOMContentLoaded', () => {
  setUpPeriodPicker();
  const pages = {overview, containers, container, search};
  pages[document.body.dataset.page]()
    .then(() => document.body.setAttribute('data-loaded', 'true'))
    .catch(error => { showError(error); document.body.setAttribute('data-loaded', 'error'); });
});
