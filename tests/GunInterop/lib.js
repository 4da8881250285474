// Shared helpers for the interop scenarios: browser-equivalent Gun clients (gun/gun + gun's own ws,
// no localStorage, so every ack comes from the relay), raw sockets, and waiting with timeouts (no sleeps).
'use strict';
const path = require('path');
const WS = require(require.resolve('ws', { paths: [path.dirname(require.resolve('gun'))] }));
const Gun = require('gun/gun');

const client = (url) => Gun({ peers: [url], WebSocket: WS, localStorage: false });

const within = (ms, what, promise) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after ' + ms + ' ms: ' + what)), ms)),
]);

// Generous: the first steps of a run may meet a cold gateway and silo (JIT, activations) on a busy machine.
const STEP_MS = 20000;

const once = (chain, what) => within(STEP_MS, what || 'once', new Promise((resolve) => chain.once((data) => resolve(data))));

const put = (chain, value, what) => within(STEP_MS, what || 'put ack', new Promise((resolve, reject) =>
  chain.put(value, (ack) => (ack.err ? reject(new Error('put refused: ' + ack.err)) : resolve(ack)))));

// Resolves with the first value the chain's .on delivers that satisfies test.
const seen = (chain, test, what) => within(STEP_MS, what || 'on', new Promise((resolve) => {
  chain.on(function (data) { if (test(data)) { this.off(); resolve(data); } });
}));

// A raw WebSocket speaking the wire protocol: send frames, wait for replies by '@' or for any matching message.
const raw = (url) => new Promise((resolve, reject) => {
  const socket = new WS(url.replace(/^http/, 'ws'));
  const inbox = [], waiters = [], listeners = [];
  let closed = false, closeCode = null, closeReason = '';
  socket.on('message', (data) => {
    let parsed;
    try { parsed = JSON.parse(data.toString()); } catch (e) { return; }
    for (const m of Array.isArray(parsed) ? parsed : [parsed]) {
      inbox.push(m);
      for (const listener of listeners) listener(m);
      for (const w of waiters.slice()) if (w.test(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    }
  });
  socket.on('close', (code, reason) => {
    closed = true; closeCode = code; closeReason = String(reason || '');
    for (const w of waiters.splice(0)) w.resolve(null);
  });
  socket.on('error', reject);
  socket.on('open', () => resolve({
    send: (frame) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    wait: (test, what, ms) => {
      const found = inbox.find(test);
      if (found) return Promise.resolve(found);
      return within(ms || STEP_MS, what || 'reply', new Promise((res) => waiters.push({ test, resolve: res })));
    },
    reply: (id, what) => within(STEP_MS, what || 'reply to ' + id, new Promise((res) => {
      const found = inbox.find((m) => m['@'] === id);
      if (found) return res(found);
      waiters.push({ test: (m) => m['@'] === id, resolve: res });
    })),
    get closed() { return closed || socket.readyState !== WS.OPEN; },
    onMessage: (listener) => listeners.push(listener),
    get closeCode() { return closeCode; },
    get closeReason() { return closeReason; },
    waitClosed: (ms) => within(ms || STEP_MS, 'close', new Promise((res) => (closed ? res() : socket.on('close', res)))),
    close: () => socket.close(),
  }));
});

// A put's graph of one node: every field at the same state.
const node = (soul, state, fields) => ({ [soul]: Object.assign({ _: { '#': soul, '>': Object.fromEntries(Object.keys(fields).map((k) => [k, state])) } }, fields) });

const check = (condition, message) => { if (!condition) throw new Error('check failed: ' + message); };

const unique = (prefix) => prefix + '/' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);

// Runs a scenario; prints "ok" and exits 0, or prints the error and exits 1.
const run = (scenario) => {
  scenario().then(() => { console.log('ok'); process.exit(0); }, (error) => { console.log('FAILED: ' + (error && error.stack || error)); process.exit(1); });
};

module.exports = { client, raw, once, put, seen, within, check, unique, run, node, Gun };
