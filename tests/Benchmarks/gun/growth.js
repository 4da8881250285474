// Storage growth workload (OrleansSync addition): N acked puts spread over S souls (key v, each put a newer
// state, so every put wins), then every soul's v deleted with null. One raw WebSocket, a window of puts in
// flight. The harness runs the phases one at a time and measures the store in between:
//   first   - one put per soul (S puts)
//   writes  - the other N - S puts
//   deletes - v := null on every soul (S puts)
//   churn   - N puts to N new souls (churn/0 .. churn/N-1)
//   unchurn - v := null on those N souls
// usage: NODE_PATH=<dir-with-gun>/node_modules RELAY_URL=ws://127.0.0.1:PORT/gun node growth.js PHASE [N=1000000] [S=1000]
'use strict';
var path = require('path');
var WS = require(require.resolve('ws', {paths: [path.dirname(require.resolve('gun'))]}));
var phase = process.argv[2], N = +process.argv[3] || 1000000, S = +process.argv[4] || 1000;
var WINDOW = 1000, run = Math.random().toString(36).slice(2, 8);
var ws = new WS(process.env.RELAY_URL), pending = new Map(), state = Date.now();

function put(i, soul, value) {
  return new Promise((resolve, reject) => {
    var id = run + 'g' + i + 'z';
    pending.set(id, {resolve, reject});
    // Newer than every earlier put (so each wins), and never ahead of the clock by more than a few ms.
    var now = Date.now();
    state = now > state ? now : state + 0.001;
    ws.send(JSON.stringify({'#': id, put: {[soul]: {_: {'#': soul, '>': {v: state}}, v: value}}}));
  });
}

async function phaseRun(name, count, make) {
  var t0 = Date.now(), next = 0, inflight = [];
  while (next < count || inflight.length) {
    while (next < count && inflight.length < WINDOW) { var [soul, value] = make(next); inflight.push(put(next++, soul, value)); }
    await inflight.shift();
  }
  var ms = Date.now() - t0;
  console.log(name + ': ' + count + ' puts acked in ' + ms + ' ms => ' + Math.round(count * 1000 / ms) + ' puts/s');
}

ws.on('message', d => {
  var m = JSON.parse(d);
  (Array.isArray(m) ? m : [m]).forEach(x => {
    var p = x['@'] && pending.get(x['@']);
    if (!p) return;
    pending.delete(x['@']);
    x.err ? p.reject(new Error(x.err)) : p.resolve();
  });
});
ws.on('open', async () => {
  try {
    if (phase === 'first') await phaseRun('first', S, i => ['growth/' + i, i]);
    else if (phase === 'writes') await phaseRun('writes', N - S, i => ['growth/' + (i % S), S + i]);
    else if (phase === 'deletes') await phaseRun('deletes', S, i => ['growth/' + i, null]);
    else if (phase === 'churn') await phaseRun('churn', N, i => ['churn/' + i, i]);
    else if (phase === 'unchurn') await phaseRun('unchurn', N, i => ['churn/' + i, null]);
    else throw new Error('phase must be first, writes, deletes, churn or unchurn');
    process.exit(0);
  } catch (e) { console.error(e); process.exit(1); }
});
ws.on('error', e => { console.error(e); process.exit(1); });
