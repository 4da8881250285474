// OrleansSync live view: reads the propagator network from the gateway's `sync/` namespace through Gun.js
// and draws it (docs/GUN_SCHEMA.md has the shapes). Plain ES2020, no build step, no external resources.
// Everything that came from a peer is put into the page with textContent/setAttribute, never as HTML.
'use strict';

// ---------------------------------------------------------------- small helpers
const $ = id => document.getElementById(id);
const str = x => (typeof x === 'string' ? x : x == null ? '' : String(x));
const toBool = x => x === true || x === 'true' || x === 1;
const HTML_NS = 'http://www.w3.org/1999/xhtml', SVG_NS = 'http://www.w3.org/2000/svg';

// el('td', {class: 'x'}, 'text', child) — builds DOM without ever parsing markup.
function mk(ns, tag, attrs, kids) {
  const e = document.createElementNS(ns, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  for (const k of kids) if (k != null) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}
const el = (tag, attrs, ...kids) => mk(HTML_NS, tag, attrs, kids);
const svg = (tag, attrs, ...kids) => mk(SVG_NS, tag, attrs, kids);

// Fields that carry JSON inside a string (Gun values cannot be nested). A bad value must not break the page.
function parseJson(s) {
  if (s && typeof s === 'object') return s;
  if (typeof s !== 'string') return undefined;
  try { return JSON.parse(s); } catch { return { t: '?bad', raw: s }; }
}
function parseIdList(s) {
  const v = Array.isArray(s) ? s : parseJson(s);
  return Array.isArray(v) ? v.filter(x => typeof x === 'string' || typeof x === 'number').map(String) : [];
}

// Ids sort the way people count: x2 before x10.
const byId = new Intl.Collator(undefined, { numeric: true }).compare;
const truncate = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
function ago(ms) {
  const t = Number(ms);
  if (!t) return '—';
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 2) return 'just now';
  if (s < 90) return s + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 129600) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

// ---------------------------------------------------------------- value rendering (the `t` encodings)
// Numbers render like JS String(n); infinities arrive as the strings "Infinity"/"-Infinity".
function num(n) {
  if (typeof n === 'number') return String(n);
  if (n === 'Infinity' || n === '-Infinity') return n;
  if (typeof n === 'string' && n.trim() !== '' && !isNaN(Number(n))) return String(Number(n));
  return '?';
}
const supp = list => ' ⟨' + parseIdList(list).join(',') + '⟩';

// The short, one-line rendering used in the graph, the table and `data-value`.
function short(v, depth = 0) {
  if (v === undefined) return '·';
  if (!v || typeof v !== 'object') return '?';
  if (depth > 6) return '…';
  const list = x => (Array.isArray(x) ? x : []);
  switch (v.t) {
    case 'nothing': return '·';
    case 'number': return num(v.v);
    case 'text': return '"' + str(v.v) + '"';
    case 'bool': return toBool(v.v) ? 'true' : 'false';
    case 'contradiction': return v.reason ? '⊥ ' + str(v.reason) : '⊥';
    case 'interval': return '[' + num(v.lo) + ', ' + num(v.hi) + ']';
    case 'max': return 'max ' + num(v.v);
    case 'min': return 'min ' + num(v.v);
    case 'gset': return '{' + list(v.items).map(str).join(', ') + '}';
    case 'supported': return short(v.value, depth + 1) + supp(v.support);
    case 'tms': {
      const es = list(v.entries);
      return es.length ? es.map(e => short(e && e.value, depth + 1) + supp(e && e.support)).join(' | ') : '·';
    }
    case 'clocked': {
      const clock = c => '@{' + Object.entries(c && typeof c === 'object' ? c : {}).map(([k, n]) => k + ':' + str(n)).join(',') + '}';
      const es = list(v.entries);
      return es.length ? es.map(e => short(e && e.value, depth + 1) + ' ' + clock(e && e.clock)).join(' | ') : '·';
    }
    case 'carried': {
      const ch = v.children && typeof v.children === 'object' ? v.children : {};
      const keys = Object.keys(ch);
      const ids = k => parseIdList(ch[k]).join('=');
      if (v.structure === 'list') return '[' + keys.sort((a, b) => a - b).map(ids).join(', ') + ']';
      return '{' + keys.sort().map(k => k + ': ' + ids(k)).join(', ') + '}';
    }
    case 'closure': return 'λ ' + str(v.name || '?');
    case '?bad': return '? unreadable';
    default: return '?' + str(v.t);
  }
}

// Premises behind a value: supports of supported/TMS values, premises of contradictions.
function premisesOf(v, out = new Set(), depth = 0) {
  if (!v || typeof v !== 'object' || depth > 6) return out;
  if (v.t === 'contradiction') parseIdList(v.premises).forEach(p => out.add(p));
  if (v.t === 'supported') { parseIdList(v.support).forEach(p => out.add(p)); premisesOf(v.value, out, depth + 1); }
  if ((v.t === 'tms' || v.t === 'clocked') && Array.isArray(v.entries))
    for (const e of v.entries) if (e) { parseIdList(e.support).forEach(p => out.add(p)); premisesOf(e.value, out, depth + 1); }
  return out;
}
function isContradiction(v, depth = 0) {
  if (!v || typeof v !== 'object' || depth > 6) return false;
  if (v.t === 'contradiction') return true;
  if (v.t === 'supported') return isContradiction(v.value, depth + 1);
  if (v.t === 'tms' || v.t === 'clocked') return Array.isArray(v.entries) && v.entries.some(e => e && isContradiction(e.value, depth + 1));
  return false;
}

// ---------------------------------------------------------------- model (what the peers told us)
const machines = new Map(); // id -> {id, name, kind, lastSeen, active, count, propagators}
const props = new Map();    // id -> {id, name, machine, inputs, outputs}
const cells = new Map();    // id -> {id, name, type, version, updatedAt, raw, value, short, premises, contra, flash}
// Machine colours: by rank of the machine's id among the machines known, from a palette whose neighbours
// contrast. Ten machines never share a colour and a reload shows the same colours; only a machine whose id sorts
// before others shifts theirs (machines come and go rarely). No reds: red means contradiction.
const PALETTE = ['#2f6fdb', '#e07a1f', '#2a9d6f', '#9b51c9', '#c49a00', '#1f9bb4', '#c2409e', '#8a5a2b', '#5b6b8c', '#6b9e1f'];
let colours = new Map();
function recolour() {
  const ids = [...new Set([...machines.keys(), ...[...props.values()].map(p => p.machine)])].sort();
  colours = new Map(ids.map((id, i) => [id, i < PALETTE.length ? PALETTE[i] : `hsl(${(i * 137.5) % 360} 55% 45%)`]));
}
const colourOf = machine => colours.get(machine) || PALETTE[8];

const dirty = { graph: false, values: false, machines: false, cells: false };
let renderTimer = 0;
function schedule(...what) {
  for (const w of what) dirty[w] = true;
  // A timer, not requestAnimationFrame: a background tab still catches up, and bursts of gun callbacks coalesce.
  if (!renderTimer) renderTimer = setTimeout(render, 40);
}

function onMachine(key, data, pinned) {
  if (data == null || typeof data !== 'object') {
    if (data === null && !pinned && machines.delete(key)) schedule('machines', 'graph');
    return;
  }
  const id = str(data.id) || key;
  const m = machines.get(id) || { id };
  const before = JSON.stringify(m), wasActive = m.active;
  if (data.name !== undefined) m.name = str(data.name);
  if (data.kind !== undefined) m.kind = str(data.kind);
  if (data.lastSeen !== undefined) m.lastSeen = Number(data.lastSeen);
  if (data.connectedAt !== undefined) m.connectedAt = Number(data.connectedAt);
  if (data.active !== undefined) m.active = toBool(data.active);
  if (data.propagatorCount !== undefined) m.count = Number(data.propagatorCount);
  if (data.propagators !== undefined) m.propagators = parseIdList(data.propagators);
  machines.set(id, m);
  if (JSON.stringify(m) === before) return;
  // Heartbeats (lastSeen) only touch the panel; the graph changes when a machine appears or (in)activates.
  if (wasActive !== m.active) schedule('graph');
  schedule('machines');
  followUps();
}

function onPropagator(key, data, pinned) {
  if (data == null || typeof data !== 'object') {
    if (data === null && !pinned) {
      // null for a propagator id, or for a whole machine in the first level of the listing.
      let gone = props.delete(key);
      for (const [id, p] of props) if (p.machine === key) gone = props.delete(id);
      if (gone) schedule('graph');
    }
    return;
  }
  const id = str(data.id) || key;
  const p = props.get(id) || { id, inputs: [], outputs: [] };
  const before = JSON.stringify(p);
  if (data.name !== undefined) p.name = str(data.name);
  // A propagator id is `{machine}/{name}`; fall back on that if the node has no machine field (yet).
  p.machine = str(data.machine) || p.machine || id.split('/')[0];
  if (data.inputs !== undefined) p.inputs = parseIdList(data.inputs);
  if (data.outputs !== undefined) p.outputs = parseIdList(data.outputs);
  props.set(id, p);
  if (JSON.stringify(p) !== before) { schedule('graph'); followUps(); }
}

function onCell(key, data, pinned) {
  if (data == null || typeof data !== 'object') {
    if (data === null && !pinned && cells.delete(key)) schedule('graph', 'cells');
    return;
  }
  const id = str(data.id) || key;
  let c = cells.get(id);
  const isNew = !c;
  if (isNew) { c = { id, raw: undefined, value: undefined, short: '·', premises: [], contra: false }; cells.set(id, c); }
  let changed = isNew;
  for (const f of ['name', 'type', 'version', 'createdAt', 'updatedAt']) {
    if (data[f] !== undefined && data[f] !== c[f]) { c[f] = data[f]; changed = true; }
  }
  if (data.strongest !== undefined && data.strongest !== c.raw) {
    // Only a change flashes, not the first sight (gun may deliver a new node key by key: id before strongest).
    if (c.raw !== undefined) c.flash = true;
    c.raw = data.strongest;
    c.value = parseJson(data.strongest);
    c.short = short(c.value);
    c.premises = [...premisesOf(c.value)];
    c.contra = isContradiction(c.value);
    changed = true;
  }
  // A new cell, or a value that needs a different number of lines in its box, moves the layout.
  const lines = valueLines(c).length;
  if (changed) schedule(isNew || lines !== c.lines ? 'graph' : 'values', 'cells');
  c.lines = lines;
}

// ---------------------------------------------------------------- gun
const contributor = 'web-' + Math.random().toString(36).slice(2, 10);
let gun = null, hi = 0; // hi: peers gun said hi to and not yet bye
const watched = new Set();

// Is any peer's WebSocket open? Read from gun's own peer table, so the status line follows reality.
function wireOpen() {
  const peers = (gun && gun._ && gun._.opt && gun._.opt.peers) || {};
  return Object.values(peers).some(p => p && p.wire && p.wire.readyState === 1);
}

function updateStatus() {
  const s = $('status');
  if (!gun) return;
  const up = hi > 0 || wireOpen();
  // Never write "disconnected": tests look for the word "connected".
  const counts = `${machines.size} machines · ${props.size} propagators · ${cells.size} cells`;
  s.textContent = up ? `● connected to ${location.host}/gun · ${counts}` : `○ offline, gun keeps retrying ${location.host}/gun · ${counts}`;
  s.className = 'status ' + (up ? 'up' : 'down');
}

function start() {
  if (typeof Gun !== 'function') {
    $('status').textContent = '○ /gun.js did not load';
    $('status').className = 'status down';
    return;
  }
  gun = Gun({ peers: [location.origin + '/gun'], localStorage: false, radisk: false });
  // gun's event chain: call this.to.next so any listener after ours still runs.
  gun.on('hi', function (peer) { hi++; updateStatus(); this.to && this.to.next(peer); });
  gun.on('bye', function (peer) { hi = Math.max(0, hi - 1); updateStatus(); this.to && this.to.next(peer); });
  setInterval(updateStatus, 1000);

  // The three listings. map() follows each key's link to the node it names and keeps listening to it.
  gun.get('sync/machines').map().on((data, key) => onMachine(key, data));
  gun.get('sync/propagators').map().map().on((data, key) => onPropagator(key, data));
  gun.get('sync/cells').map().on((data, key) => onCell(key, data));
}

// Read one node directly (pinned: a missing listing entry never removes it). Used for told cells and for
// things the listings have not (yet) delivered but others point at.
function watch(soul, handler, id) {
  if (watched.has(soul) || watched.size > 2000 || !gun) return;
  watched.add(soul);
  gun.get(soul).on(data => handler(id, data, true));
}
const watchCell = id => watch('sync/cells/' + id, onCell, id);

// A propagator may name cells the cell listing has not delivered, and a machine lists propagators. Once the
// first burst has settled, read the missing ones directly so the picture is complete either way.
let followTimer = 0;
function followUps() {
  clearTimeout(followTimer);
  followTimer = setTimeout(() => {
    for (const p of props.values()) for (const c of [...p.inputs, ...p.outputs]) if (!cells.has(c)) watchCell(c);
    for (const m of machines.values()) for (const p of m.propagators || []) if (!props.has(p)) watch('sync/propagators/' + p, onPropagator, p);
  }, 2000);
}

// ---------------------------------------------------------------- graph layout
// Longest-path layering left to right over cell -> propagator -> cell, after dropping the back edges a
// deterministic DFS finds (networks may be cyclic). Sources sit just left of their first consumer. Cells no
// propagator touches get their own column(s) on the right. Order within a column: a few barycenter sweeps.
const CELL_W = 164, PROP_R = 11, GAP_X = 48, GAP_Y = 14, PAD = 20, LINE = 15, VAL_CHARS = 22;
const cellHeight = c => 28 + LINE * (c ? valueLines(c).length : 1);

// The value lines of a cell's box: one, or one per TMS entry (at most three, then "+n more").
function valueLines(c) {
  const v = c.value;
  if (v && v.t === 'tms' && Array.isArray(v.entries) && v.entries.length > 1) {
    const es = v.entries.slice(0, 3).map(e => truncate(short(e && e.value, 1) + supp(e && e.support), VAL_CHARS));
    return v.entries.length > 3 ? [...es.slice(0, 2), `+${v.entries.length - 2} more`] : es;
  }
  return [truncate(c.short, VAL_CHARS)];
}

function layout() {
  const nodes = new Map(); // key -> {key, kind, id, w, h, succ:[], pred:[]}
  const add = (key, kind, id) => {
    if (!nodes.has(key)) nodes.set(key, { key, kind, id, succ: [], pred: [], layer: 0 });
    return nodes.get(key);
  };
  const edges = [];
  const propIds = [...props.keys()].sort(byId);
  for (const pid of propIds) {
    const p = props.get(pid), pn = add('p:' + pid, 'prop', pid);
    const label = Math.max(truncate(p.name || pid, 20).length, p.machine.length + 2);
    pn.w = Math.max(2 * PROP_R, label * 6.4); pn.h = 2 * PROP_R + 28;
    for (const c of p.inputs) { const cn = add('c:' + c, 'cell', c); edges.push([cn, pn]); }
    for (const c of p.outputs) { const cn = add('c:' + c, 'cell', c); edges.push([pn, cn]); }
  }
  for (const [a, b] of edges) { a.succ.push(b); b.pred.push(a); }
  const connected = [...nodes.values()];
  const loose = [...cells.keys()].filter(id => !nodes.has('c:' + id)).sort(byId).map(id => add('c:' + id, 'cell', id));
  for (const n of nodes.values()) if (n.kind === 'cell') { n.w = CELL_W; n.h = cellHeight(cells.get(n.id)); }

  // Back edges by iterative DFS from the sources (then anything left), in id order.
  const state = new Map(), back = new Set();
  const byKey = (a, b) => byId(a.key, b.key);
  const roots = [...connected.filter(n => !n.pred.length).sort(byKey), ...[...connected].sort(byKey)];
  for (const r of roots) {
    if (state.has(r)) continue;
    const stack = [[r, 0]]; state.set(r, 1);
    while (stack.length) {
      const top = stack[stack.length - 1], [n, i] = top;
      if (i >= n.succ.length) { state.set(n, 2); stack.pop(); continue; }
      top[1]++;
      const m = n.succ[i];
      if (state.get(m) === 1) back.add(n.key + '>' + m.key);
      else if (!state.has(m)) { state.set(m, 1); stack.push([m, 0]); }
    }
  }
  const fwd = n => n.succ.filter(m => !back.has(n.key + '>' + m.key));
  // Longest path: Kahn's order over forward edges.
  const indeg = new Map(connected.map(n => [n, 0]));
  for (const n of connected) for (const m of fwd(n)) indeg.set(m, indeg.get(m) + 1);
  const queue = connected.filter(n => !indeg.get(n)).sort(byKey);
  const order = [];
  while (queue.length) {
    const n = queue.shift(); order.push(n);
    for (const m of fwd(n)) { m.layer = Math.max(m.layer, n.layer + 1); indeg.set(m, indeg.get(m) - 1); if (!indeg.get(m)) queue.push(m); }
  }
  // Pull sources (constants, inputs) next to their earliest consumer instead of all at column 0.
  for (const n of order) {
    const f = fwd(n);
    if (!n.pred.length && f.length) n.layer = Math.max(0, Math.min(...f.map(m => m.layer)) - 1);
  }

  const cols = [];
  for (const n of order) (cols[n.layer] = cols[n.layer] || []).push(n);
  for (let i = 0; i < cols.length; i++) cols[i] = cols[i] || [];
  const tallest = Math.max(6, ...cols.map(c => c.length));
  for (let i = 0; i < loose.length; i += tallest) cols.push(loose.slice(i, i + tallest));

  // Barycenter sweeps (left->right on predecessors, right->left on successors), ties keep id order.
  const pos = new Map();
  const index = () => cols.forEach(col => col.forEach((n, i) => pos.set(n, i)));
  cols.forEach(col => col.sort(byKey));
  index();
  const bary = (n, nb) => (nb.length ? nb.reduce((s, m) => s + pos.get(m), 0) / nb.length : pos.get(n));
  for (let sweep = 0; sweep < 4; sweep++) {
    const ltr = sweep % 2 === 0;
    for (let k = 0; k < cols.length; k++) {
      const col = cols[ltr ? k : cols.length - 1 - k];
      const score = new Map(col.map(n => [n, bary(n, (ltr ? n.pred : n.succ).filter(m => pos.has(m)))]));
      col.sort((a, b) => score.get(a) - score.get(b) || pos.get(a) - pos.get(b));
      col.forEach((n, i) => pos.set(n, i));
    }
  }

  // Coordinates: columns left to right, each column centred vertically.
  const heights = cols.map(col => col.reduce((s, n) => s + n.h, 0) + Math.max(0, col.length - 1) * GAP_Y);
  const H = Math.max(0, ...heights);
  let x = PAD;
  cols.forEach((col, i) => {
    const w = Math.max(0, ...col.map(n => n.w));
    let y = PAD + (H - heights[i]) / 2;
    for (const n of col) { n.x = x + w / 2; n.y = y + n.h / 2; y += n.h + GAP_Y; }
    if (col.length) x += w + GAP_X;
  });
  return { nodes, edges, width: Math.max(x - GAP_X + PAD, 200), height: H + 2 * PAD, looseFrom: connected.length ? x : PAD };
}

// ---------------------------------------------------------------- graph rendering
let graphEls = new Map(); // cell id -> {g, val, tip}

function cellTip(c, id) {
  if (!c) return id + '\n(not listed yet)';
  return [id, `${c.type || 'value'} · version ${str(c.version) || '?'}`, c.short, c.premises.length ? 'premises: ' + c.premises.join(', ') : '']
    .filter(Boolean).join('\n');
}

function drawGraph() {
  const L = layout(), box = $('graph');
  $('graph-empty').hidden = L.nodes.size > 0;
  // Shrink a graph a little wider than the panel to fit it (down to 70%); beyond that the panel scrolls.
  const scale = Math.max(0.7, Math.min(1, (box.clientWidth - 4) / L.width));
  const root = svg('svg', { id: 'graph-svg', width: L.width * scale, height: L.height * scale, viewBox: `0 0 ${L.width} ${L.height}`, role: 'img', 'aria-label': 'propagator network' });
  root.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));

  const edgeLayer = svg('g', { class: 'edges' }), nodeLayer = svg('g', { class: 'nodes' });
  root.append(edgeLayer, nodeLayer);
  const dimProp = p => { const m = machines.get(p.machine); return !!m && m.active === false; };

  let bottom = L.height;
  for (const [a, b] of L.edges) {
    const x1 = a.x + a.w / 2 - (a.kind === 'prop' ? (a.w / 2 - PROP_R) : 0), y1 = a.y - (a.kind === 'prop' ? 14 : 0);
    const x2 = b.x - b.w / 2 + (b.kind === 'prop' ? (b.w / 2 - PROP_R) : 0) - 2, y2 = b.y - (b.kind === 'prop' ? 14 : 0);
    const p = props.get(a.kind === 'prop' ? a.id : b.id);
    let d;
    if (x2 > x1) {
      const dx = Math.max(30, (x2 - x1) / 2);
      d = `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
    } else {
      // An edge back to an earlier column (a cycle): loop under both ends instead of cutting across the graph.
      const yb = Math.max(a.y + a.h / 2, b.y + b.h / 2) + 12;
      bottom = Math.max(bottom, yb + 8);
      const k = Math.min(40, x2 - 4);
      d = `M${x1},${y1} C${x1 + 40},${y1} ${x1 + 40},${yb} ${x1},${yb} L${x2},${yb} C${x2 - k},${yb} ${x2 - k},${y2} ${x2},${y2}`;
    }
    edgeLayer.append(svg('path', {
      d, class: 'edge' + (x2 > x1 ? '' : ' back') + (p && dimProp(p) ? ' dim' : ''),
      'marker-end': 'url(#arrow)', 'data-a': a.key, 'data-b': b.key,
    }));
  }

  graphEls = new Map();
  for (const n of L.nodes.values()) {
    if (n.kind === 'prop') {
      const p = props.get(n.id), colour = colourOf(p.machine), cy = n.y - 14;
      nodeLayer.append(svg('g', { class: 'prop' + (dimProp(p) ? ' dim' : ''), 'data-propagator': n.id, 'data-node': n.key, 'data-machine-of': p.machine },
        svg('title', {}, `${n.id}\n${p.name || '?'} on machine ${p.machine}${dimProp(p) ? ' (inactive)' : ''}\nin: ${p.inputs.join(', ')}\nout: ${p.outputs.join(', ')}`),
        svg('path', { d: `M${n.x},${cy - PROP_R} L${n.x + PROP_R},${cy} L${n.x},${cy + PROP_R} L${n.x - PROP_R},${cy} z`, fill: colour, class: 'prop-shape' }),
        svg('text', { x: n.x, y: cy + PROP_R + 13, class: 'prop-name' }, truncate(p.name || n.id, 20)),
        svg('text', { x: n.x, y: cy + PROP_R + 25, class: 'prop-machine', style: 'fill:' + colour }, '@' + p.machine)));
    } else {
      const c = cells.get(n.id), x = n.x - n.w / 2, y = n.y - n.h / 2;
      const vals = (c ? valueLines(c) : ['…']).map((t, i) => svg('text', { x: x + 10, y: y + 34 + LINE * i, class: 'cell-value' }, t));
      const tip = svg('title', {}, cellTip(c, n.id));
      const g = svg('g', { class: cellClass(c), 'data-graph-cell': n.id, 'data-node': n.key },
        tip, svg('rect', { x, y, width: n.w, height: n.h, rx: 9, ry: 9 }),
        svg('text', { x: x + 10, y: y + 17, class: 'cell-id' }, truncate(n.id, 22)), ...vals);
      nodeLayer.append(g);
      graphEls.set(n.id, { g, vals, tip });
    }
  }
  if (bottom > L.height) { root.setAttribute('height', bottom * scale); root.setAttribute('viewBox', `0 0 ${L.width} ${bottom}`); }
  const old = $('graph-svg');
  if (old) old.replaceWith(root); else box.append(root);
}

const cellClass = c => 'cell' + (!c ? ' unknown' : '') + (c && c.contra ? ' contra' : '') + (c && c.type ? ' t-' + c.type.replace(/[^a-z]/gi, '') : '');

// Values change far more often than structure: update text in place, keep the layout.
function updateGraphValues() {
  for (const [id, e] of graphEls) {
    const c = cells.get(id);
    if (!c) continue;
    const lines = valueLines(c);
    if (lines.length === e.vals.length) lines.forEach((t, i) => { if (e.vals[i].textContent !== t) e.vals[i].textContent = t; });
    e.tip.textContent = cellTip(c, id);
    const cls = cellClass(c) + (e.g.classList.contains('flash') ? ' flash' : '') + (e.g.classList.contains('hl') ? ' hl' : '');
    if (e.g.getAttribute('class') !== cls) e.g.setAttribute('class', cls);
  }
}

// Restart a CSS animation: drop the class, force style recalculation, add it back.
function flash(node) {
  if (!node) return;
  node.classList.remove('flash');
  void node.getBoundingClientRect();
  node.classList.add('flash');
  clearTimeout(node._flashTimer);
  node._flashTimer = setTimeout(() => node.classList.remove('flash'), 1600);
}

// Hovering a node lights up its edges (event delegation: the SVG is rebuilt on re-layout).
function hover(e, on) {
  const g = e.target.closest && e.target.closest('[data-node]');
  if (!g) return;
  const k = CSS.escape(g.getAttribute('data-node'));
  g.classList.toggle('hl', on);
  document.querySelectorAll(`#graph-svg .edge[data-a="${k}"], #graph-svg .edge[data-b="${k}"]`).forEach(p => p.classList.toggle('hl', on));
}

// ---------------------------------------------------------------- machines panel
const machineEls = new Map();
function drawMachines() {
  const list = $('machines');
  const ms = [...machines.values()].sort((a, b) => ((a.kind === 'cluster') === (b.kind === 'cluster') ? byId(a.id, b.id) : a.kind === 'cluster' ? -1 : 1));
  $('machines-empty').hidden = ms.length > 0;
  for (const [id, li] of machineEls) if (!machines.has(id)) { li.remove(); machineEls.delete(id); }
  for (const m of ms) {
    let li = machineEls.get(m.id);
    if (!li) {
      li = el('li', { class: 'machine', 'data-machine': m.id },
        el('span', { class: 'swatch' }), el('span', { class: 'm-name' }), el('span', { class: 'm-kind' }),
        el('span', { class: 'm-state' }, el('i', { class: 'dot' }), el('span', { class: 'm-active' })),
        el('span', { class: 'm-meta' }));
      machineEls.set(m.id, li);
    }
    const active = m.active === true;
    li.setAttribute('data-active', String(active));
    li.classList.toggle('inactive', !active);
    li.querySelector('.swatch').style.background = colourOf(m.id);
    li.querySelector('.m-name').textContent = m.name && m.name !== m.id ? `${m.name} (${m.id})` : m.id;
    li.querySelector('.m-kind').textContent = m.kind || '?';
    li.querySelector('.m-active').textContent = active ? 'active' : 'inactive';
    const n = Number.isFinite(m.count) ? m.count : (m.propagators || []).length;
    li.querySelector('.m-meta').textContent = `last seen ${ago(m.lastSeen)} · ${n} propagator${n === 1 ? '' : 's'}`;
    li.title = m.lastSeen ? 'last seen ' + new Date(m.lastSeen).toLocaleString() : '';
    list.append(li); // append moves an existing row: this keeps the sorted order
  }
}

// ---------------------------------------------------------------- cells table
const rowEls = new Map();
function drawCells() {
  const body = $('cells-body'), filter = $('cell-filter').value.trim().toLowerCase();
  $('cells-empty').hidden = cells.size > 0;
  for (const [id, tr] of rowEls) if (!cells.has(id)) { tr.remove(); rowEls.delete(id); }
  for (const id of [...cells.keys()].sort(byId)) {
    const c = cells.get(id);
    let tr = rowEls.get(id);
    if (!tr) {
      tr = el('tr', { 'data-cell': id }, el('td', { class: 'c-id' }), el('td', { class: 'c-type' }), el('td', { class: 'c-version num' }),
        el('td', { class: 'c-value' }), el('td', { class: 'c-premises' }), el('td', { class: 'c-updated' }));
      rowEls.set(id, tr);
    }
    const td = tr.children;
    td[0].textContent = c.name && c.name !== id ? `${id} (${c.name})` : id;
    td[1].textContent = str(c.type) || '?';
    td[2].textContent = str(c.version);
    if (td[3].textContent !== c.short) td[3].textContent = c.short;
    td[3].title = typeof c.raw === 'string' ? c.raw : '';
    const prem = c.premises.join('\u0000');
    if (tr._prem !== prem) {
      tr._prem = prem;
      td[4].replaceChildren(...c.premises.map(p => el('span', { class: 'chip' }, p)));
    }
    td[5].textContent = ago(c.updatedAt);
    tr.setAttribute('data-value', c.short);
    tr.setAttribute('data-version', str(c.version));
    tr.classList.toggle('contra', c.contra);
    tr.hidden = !!filter && !(id.toLowerCase().includes(filter) || c.short.toLowerCase().includes(filter));
    body.append(tr);
  }
}

// ---------------------------------------------------------------- render loop
function render() {
  renderTimer = 0;
  const d = { ...dirty };
  Object.keys(dirty).forEach(k => (dirty[k] = false));
  if (d.graph || d.machines) recolour();
  if (d.graph) drawGraph(); else if (d.values) updateGraphValues();
  if (d.machines) drawMachines();
  if (d.cells || d.graph) drawCells();
  // Flash what changed, in the graph and in the table.
  for (const c of cells.values()) if (c.flash) {
    c.flash = false;
    flash(graphEls.get(c.id) && graphEls.get(c.id).g);
    flash(rowEls.get(c.id));
  }
  updateStatus();
}

// ---------------------------------------------------------------- tell form
// "3.5" number, "[1, 2]" interval, true/false bool, "{...}" raw encoding, anything else text.
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
function numberOrInf(s) {
  s = s.trim();
  if (NUM.test(s)) return Number(s);
  if (/^\+?(Infinity|∞)$/.test(s)) return 'Infinity';
  if (/^-(Infinity|∞)$/.test(s)) return '-Infinity';
  return undefined;
}
function parseTell(text) {
  const s = text.trim();
  if (!s) return { err: 'enter a value' };
  const n = numberOrInf(s);
  if (n !== undefined) return { value: { t: 'number', v: n } };
  const iv = /^\[(.*),(.*)\]$/.exec(s);
  if (iv) {
    const lo = numberOrInf(iv[1]), hi = numberOrInf(iv[2]);
    if (lo === undefined || hi === undefined) return { err: 'an interval is [lo, hi] with two numbers' };
    return { value: { t: 'interval', lo, hi } };
  }
  if (s === 'true' || s === 'false') return { value: { t: 'bool', v: s === 'true' } };
  if (s.startsWith('{')) {
    let v;
    try { v = JSON.parse(s); } catch (e) { return { err: 'not JSON: ' + e.message }; }
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.t !== 'string') return { err: 'a raw encoding is an object with "t"' };
    return { value: v };
  }
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"')) { try { return { value: { t: 'text', v: JSON.parse(s) } }; } catch { /* plain text */ } }
  return { value: { t: 'text', v: s } };
}

let tellSeq = 0;
function tellResult(text, bad) {
  const out = $('tell-result');
  out.textContent = text;
  out.className = 'tell-result' + (bad ? ' err' : text === 'stored' ? ' ok' : '');
}
function tell(e) {
  e.preventDefault();
  const id = $('tell-cell').value.trim();
  if (!id) return tellResult('enter a cell id', true);
  const parsed = parseTell($('tell-value').value);
  if (parsed.err) return tellResult(parsed.err, true);
  if (!gun) return tellResult('gun is not loaded', true);
  const seq = ++tellSeq;
  let answered = false, failed = false;
  tellResult('sending…');
  // One key per contributor in the content node: the cell grain merges; gun's last-writer-wins never drops
  // someone else's contribution (docs/GUN_SCHEMA.md).
  gun.get('sync/cells/' + id + '/content').get(contributor).put(JSON.stringify(parsed.value), ack => {
    answered = true;
    if (seq !== tellSeq || failed) return; // a later tell owns the line; an err stays visible
    if (ack && ack.err) { failed = true; tellResult(str(ack.err), true); } else tellResult('stored');
  });
  setTimeout(() => { if (!answered && seq === tellSeq) tellResult('no acknowledgement yet (still trying)', true); }, 10000);
  watchCell(id); // so the cell shows up here even if no listing has it yet
}

// ---------------------------------------------------------------- wiring
$('tell-contributor').textContent = contributor;
$('tell-form').addEventListener('submit', tell);
$('cell-filter').addEventListener('input', () => schedule('cells'));
window.addEventListener('resize', () => schedule('graph'));
$('graph').addEventListener('mouseover', e => hover(e, true));
$('graph').addEventListener('mouseout', e => hover(e, false));
// Clicking a cell in the graph or the table puts its id into the tell form.
document.addEventListener('click', e => {
  const t = e.target.closest && e.target.closest('[data-graph-cell], tr[data-cell]');
  if (t) { $('tell-cell').value = t.getAttribute('data-graph-cell') || t.getAttribute('data-cell'); $('tell-value').focus(); }
});
// Relative times ("last seen 3 s ago") move on by themselves.
setInterval(() => { drawMachines(); for (const [id, tr] of rowEls) { const c = cells.get(id); if (c) tr.children[5].textContent = ago(c.updatedAt); } }, 1000);

start();
